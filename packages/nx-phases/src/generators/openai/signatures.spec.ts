import { extractExportedSignatures } from './signatures';

describe('extractExportedSignatures', () => {
  it('keeps types whole and cuts functions, classes and values at their body', () => {
    const source = [
      "import { db } from './db';",
      'export interface Product {',
      '  id: string;',
      '  price: number;',
      '}',
      "export type Status = 'draft' | 'live';",
      'export type Handler =',
      "  | 'a'",
      "  | 'b';",
      'export enum Color { Red, Green }',
      'export async function listProducts(limit: number): Promise<Product[]> {',
      '  return db.products.take(limit);',
      '}',
      'export function createOrder(',
      '  userId: string,',
      '  options: { express: boolean },',
      '): Promise<{ id: string }> {',
      '  return db.orders.create();',
      '}',
      'export class Cart extends Base<Item> implements Totals {',
      '  total = 0;',
      '}',
      'export const handler = async (req: Request) => {',
      '  return new Response();',
      '};',
      "export const API_URL = '/api';",
      'export const config = {',
      '  retries: 3,',
      '};',
      "export { helper, type Helper } from './helper';",
      "export * from './types';",
      'export default function App({ items }: Props) {',
      '  return null;',
      '}',
      'function internal() {}',
      '  export const notTopLevel = 1;',
    ].join('\n');
    expect(extractExportedSignatures('src/catalog.ts', source)).toEqual([
      'export interface Product {\n  id: string;\n  price: number;\n}',
      "export type Status = 'draft' | 'live';",
      "export type Handler =\n  | 'a'\n  | 'b';",
      'export enum Color { Red, Green }',
      'export async function listProducts(limit: number): Promise<Product[]> {…}',
      'export function createOrder(\n  userId: string,\n  options: { express: boolean },\n): Promise<{ id: string }> {…}',
      'export class Cart extends Base<Item> implements Totals {…}',
      'export const handler = async (req: Request) => {…}',
      "export const API_URL = '/api';",
      'export const config = {…}',
      "export { helper, type Helper } from './helper';",
      "export * from './types';",
      'export default function App({ items }: Props) {…}',
    ]);
  });

  it('marks an unterminated type and ignores non-code files', () => {
    expect(extractExportedSignatures('a.ts', 'export interface Broken {\n  a: string;')).toEqual([
      'export interface Broken {\n  a: string;\n  // …',
    ]);
    expect(extractExportedSignatures('README.md', 'export FOO=1')).toEqual([]);
    expect(extractExportedSignatures('src/none.tsx', 'const a = 1;')).toEqual([]);
  });
});
