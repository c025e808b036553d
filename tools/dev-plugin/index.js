// @ts-check
/**
 * The plugin as this repository's nx.json loads it ("nx-phases" resolves here through the root package.json's
 * `file:tools/dev-plugin` dependency): the exports of packages/nx-phases/src/index.ts, from the build of the
 * current sources (see build.js). createNodes and the task hooks look the build up again on every call, so a
 * long-running Nx daemon picks up edited sources too.
 */
'use strict';
const path = require('node:path');
const load = require('./load');

/** @typedef {(...args: unknown[]) => unknown} AnyFunction */
/** @returns {Record<string, any>} */
const plugin = () => load(path.join(__dirname, '..', '..'), 'src/index.js');
/** @type {Record<string, unknown>} */
const exported = module.exports;

for (const [name, value] of Object.entries(plugin())) {
  if (Array.isArray(value) && typeof value[1] === 'function') {
    // A createNodes tuple: the same glob, and the current build's function for every call.
    exported[name] = [value[0], (/** @type {unknown[]} */ ...args) => /** @type {AnyFunction} */ (plugin()[name][1])(...args)];
  } else if (typeof value === 'function' && /^(pre|post)TasksExecution$|^create(Dependencies|Metadata)$/.test(name)) {
    exported[name] = (/** @type {unknown[]} */ ...args) => /** @type {AnyFunction} */ (plugin()[name])(...args);
  } else {
    Object.defineProperty(exported, name, { enumerable: true, get: () => plugin()[name] });
  }
}
