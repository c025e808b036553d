// @ts-check
/** Requires a module from the current build of the plugin in a repository (see build.js); one build per repository and process. */
'use strict';
const { createDevBuild } = require('./build');

/** @type {Map<string, ReturnType<typeof createDevBuild>>} */
const devBuilds = new Map();

/**
 * `load(repoRoot, 'src/index.js')`: the module from the build of the sources as they are now.
 * @param {string} repoRoot
 * @param {string} relative
 */
module.exports = function load(repoRoot, relative) {
  let devBuild = devBuilds.get(repoRoot);
  if (!devBuild) devBuilds.set(repoRoot, (devBuild = createDevBuild(repoRoot)));
  return devBuild.load(relative);
};
