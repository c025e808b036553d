import { linesKey, regionLineKeys } from './line-keys';

describe('linesKey: the key of a line in a lines file', () => {
  it.each([
    ['API_URL=http://x', 'API_URL'],
    ['A=1', 'A'],
    [' A=1', 'A'],
    ['\tAPI_URL = x', 'API_URL'],
    ['export TOKEN=a', 'TOKEN'],
    ['export  TOKEN=a', 'TOKEN'],
    ['  export\tTOKEN =a', 'TOKEN'],
    ['_PRIVATE=1', '_PRIVATE'],
    ['app.name-2=x', 'app.name-2'],
    ['export=1', 'export'],
    ['A==1', 'A'],
  ])('keys %j by its name, %j', (line, key) => {
    expect(linesKey(line)).toBe(key);
  });

  it.each(['node_modules/', '# set API_URL=x', '1PORT=3000', '-A=1', 'A B=1', 'exportTOKEN', '=1', '.A=1', '*.log', 'export TOKEN'])('keys %j by the whole line', (line) => {
    expect(linesKey(line)).toBe(line);
  });
});

describe('regionLineKeys: the keys of a line added to a region', () => {
  it.each([
    // imports: one key per name bound
    ["import A from 'a'", ['import A']],
    ['import A from "a";', ['import A']],
    ["  import   A   from   'a' ;", ['import A']],
    ["import $el, { _b } from 'x';", ['import $el', 'import _b']],
    ["import type A from 'a';", ['import A']],
    ["import typeA from 'a';", ['import typeA']],
    ["import { A as B, C } from 'x';", ['import B', 'import C']],
    ["import {A as  B} from 'x';", ['import B']],
    ["import * as  NS from 'x';", ['import NS']],
    ["import { type  T, U } from 'x';", ['import T', 'import U']],
    ["import D, * as N from 'x';", ['import D', 'import N']],
    ["import { default as Home } from './home';", ['import Home']],
    // object literals: the first property with its value
    ["{ path: '/cart', title: 'Cart' },", ["path: '/cart'"]],
    ["  {path:'/a'}", ["path: '/a'"]],
    ['{ "to" : "/cart" }', ['to: "/cart"']],
    ["{ 'id': 7, x: 1 }", ['id: 7']],
    ['{ $ref: `#/a,b` , x: 1 }', ['$ref: `#/a,b`']],
    ['{ data-x: 1 }', ['data-x: 1']],
    ['{ path: "/a, b" }', ['path: "/a, b"']],
    ['{ n: -1}', ['n: -1']],
    // properties and assignments: the name
    ['cart: CartPage,', ['cart']],
    ['  "cart": CartPage,', ['cart']],
    ["  'cart' : CartPage,", ['cart']],
    ['--brand-color: red;', ['--brand-color']],
    ['@media: x', ['@media']],
    ['a.b/c-d = 1', ['a.b/c-d']],
    ['$x=1', ['$x']],
    // anything else: the line itself, trimmed
    ['  <CartProvider>', ['<CartProvider>']],
    ["import './styles.css';", ["import './styles.css';"]],
    ["// import A from 'a';", ["// import A from 'a';"]],
    ["import A from 'a'; sideEffect();", ["import A from 'a'; sideEffect();"]],
    ["import A from 'a\";", ["import A from 'a\";"]],
    ["import { } from 'x';", ["import { } from 'x';"]],
    ["import { a-b } from 'x';", ["import { a-b } from 'x';"]],
    ['x ? a : b', ['x ? a : b']],
    ['cart:', ['cart:']],
    ['cart: ', ['cart:']],
    ["'cart\": x", ["'cart\": x"]],
    ['1cart: x', ['1cart: x']],
    ['{ 1: x }', ['{ 1: x }']],
    ['{ }', ['{ }']],
  ])('keys %j as %j', (line, keys) => {
    expect(regionLineKeys(line)).toEqual(keys);
  });
});

describe('regionLineKeys: import clauses', () => {
  it.each([
    ["import A, { B, C, D } from 'x';", ['import A', 'import B', 'import C', 'import D']],
    ["import *  as N from 'x';", ['import N']],
    ["import x* as N from 'x';", ["import x* as N from 'x';"]],
    ["import 1A from 'x';", ["import 1A from 'x';"]],
    ["import A-b from 'x';", ["import A-b from 'x';"]],
    ["import { subtype T } from 'x';", ["import { subtype T } from 'x';"]],
  ])('keys %j as %j (a clause that binds no valid name is its own key)', (line, keys) => {
    expect(regionLineKeys(line)).toEqual(keys);
  });
});
