// @ts-check
/**
 * This repository's own entry to the plugin: it runs packages/nx-phases as compiled JavaScript, never through a
 * TypeScript transpiler, and never from a stale build.
 *
 * Every entry (the plugin's createNodes and hooks, each executor and generator) first computes a content hash
 * of the plugin's sources (the files `codeFiles` in src/code-version.ts covers) plus what decides how they
 * compile (the tsconfig files, the TypeScript version, this file). The build for that hash lives in
 * node_modules/.cache/nx-phases-dev/<hash>/, laid out like the packed package; when it is missing, it is
 * built there: changed .ts files are transpiled (ts.transpileModule, as isolatedModules allows), unchanged
 * ones are copied from the previous build, other files are copied. A build is written to a temp folder and
 * renamed into place, so concurrent processes never see half a build. The hash is computed from content
 * only, never file times.
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const TOP_FILES = ['package.json', 'executors.json', 'generators.json'];
const FOLDERS = ['src', 'schemas'];
const SKIPPED_FOLDERS = new Set(['__snapshots__', 'test-utils', 'node_modules']);
const SKIPPED_FILE = /\.spec\.[cm]?[jt]s$|\.d\.ts$/;
/** Files (repo-relative) that decide how the sources compile; a change to any of them is a new build. */
const COMPILER_INPUTS = ['tsconfig.base.json', 'packages/nx-phases/tsconfig.json', 'packages/nx-phases/tsconfig.lib.json', 'node_modules/typescript/package.json'];
/** Builds kept besides the current one (a long-running daemon may still be loading from one of them). */
const KEPT_BUILDS = 3;
/** Fields of an executors.json / generators.json entry that name a module. */
const MODULE_FIELDS = ['implementation', 'batchImplementation', 'hasher', 'factory'];
const COLLECTIONS = ['executors', 'builders', 'generators', 'schematics'];

/**
 * @typedef {{ key: string, compilerKey: string, sources: Map<string, Buffer> }} SourceState
 */

/**
 * The dev build of the plugin in the repository at `repoRoot`: packages/nx-phases, built into
 * node_modules/.cache/nx-phases-dev/ (npm ci starts that folder afresh).
 * @param {string} repoRoot
 */
function createDevBuild(repoRoot) {
  const packageRoot = path.join(repoRoot, 'packages', 'nx-phases');
  const cacheRoot = path.join(repoRoot, 'node_modules', '.cache', 'nx-phases-dev');

  /** Reads the sources and computes the build key (content only). @returns {SourceState} */
  function readSources() {
    /** @type {Map<string, Buffer>} */
    const sources = new Map();
    const compiler = createHash('sha256').update(fs.readFileSync(__filename));
    for (const rel of COMPILER_INPUTS) compiler.update(`${rel}\0`).update(readIfExists(path.join(repoRoot, rel)));
    const compilerKey = compiler.digest('hex');
    const key = createHash('sha256').update(compilerKey);
    for (const rel of sourceFiles(packageRoot)) {
      const content = fs.readFileSync(path.join(packageRoot, rel));
      sources.set(rel, content);
      key.update(`${rel}\0${content.length}\0`).update(content);
    }
    return { key: key.digest('hex').slice(0, 16), compilerKey, sources };
  }

  /** Ensures the build of the current sources exists (building it when missing) and returns its folder. */
  function ensureBuilt() {
    const state = readSources();
    const dir = path.join(cacheRoot, state.key);
    if (!fs.existsSync(path.join(dir, 'package.json'))) build(state, dir);
    if (readIfExists(path.join(cacheRoot, 'entries.key')).toString() !== state.key) {
      writeEntries(state.key);
      writeIfChanged(path.join(cacheRoot, 'entries.key'), state.key);
    }
    return dir;
  }

  /** Requires a module of the current build, e.g. `load('src/index.js')`. @param {string} relative */
  function load(relative) {
    return require(path.join(ensureBuilt(), relative));
  }

  /** @param {SourceState} state @param {string} dir */
  function build(state, dir) {
    fs.mkdirSync(cacheRoot, { recursive: true });
    const temp = fs.mkdtempSync(path.join(cacheRoot, `.building-${state.key}-`));
    try {
      const previous = previousBuild(state.compilerKey);
      /** @type {((source: string, fileName: string) => string) | undefined} */
      let transpile;
      /** @type {Record<string, string>} */
      const manifest = {};
      for (const [rel, content] of state.sources) {
        const sha = (manifest[rel] = sha256(content));
        const isTs = rel.endsWith('.ts');
        const out = isTs ? rel.replace(/\.ts$/, '.js') : rel;
        const target = path.join(temp, out);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (!isTs) fs.writeFileSync(target, content);
        else if (previous?.manifest[rel] === sha && fs.existsSync(path.join(previous.dir, out))) fs.copyFileSync(path.join(previous.dir, out), target);
        else fs.writeFileSync(target, (transpile ??= createTranspiler())(content.toString('utf8'), path.join(packageRoot, rel)));
      }
      fs.writeFileSync(path.join(temp, '.build.json'), JSON.stringify({ compilerKey: state.compilerKey, manifest }));
      renameIntoPlace(temp, dir);
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
    for (const old of builds().filter((d) => d !== dir).slice(KEPT_BUILDS)) fs.rmSync(old, { recursive: true, force: true });
  }

  /** A transpiler with the options of tsconfig.lib.json (TypeScript is loaded only when a file changed). */
  function createTranspiler() {
    /** @type {typeof import('typescript')} */
    const ts = require(require.resolve('typescript', { paths: [repoRoot, __dirname] }));
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(packageRoot, 'tsconfig.lib.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(`packages/nx-phases/tsconfig.lib.json: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
      },
    });
    const compilerOptions = { ...parsed?.options, declaration: false, sourceMap: false, inlineSourceMap: false };
    /** @param {string} source @param {string} fileName */
    return (source, fileName) => ts.transpileModule(source, { compilerOptions, fileName }).outputText;
  }

  /** The newest complete build made with the same compiler inputs, whose unchanged files can be reused. @param {string} compilerKey */
  function previousBuild(compilerKey) {
    for (const dir of builds()) {
      try {
        const info = JSON.parse(fs.readFileSync(path.join(dir, '.build.json'), 'utf8'));
        if (info.compilerKey === compilerKey) return { dir, manifest: /** @type {Record<string, string>} */ (info.manifest) };
      } catch {
        // not a complete build
      }
    }
    return undefined;
  }

  /** Complete build folders, newest first (by time, which only picks what to reuse or prune, never a key). */
  function builds() {
    if (!fs.existsSync(cacheRoot)) return [];
    return fs
      .readdirSync(cacheRoot, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && /^[0-9a-f]{16}$/.test(entry.name))
      .map((entry) => path.join(cacheRoot, entry.name))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  }

  /**
   * Writes node_modules/.cache/nx-phases-dev/{executors,generators}.json (tools/dev-plugin/package.json points
   * Nx at them) and one small entry module per implementation. An entry loads its module from the build of
   * the sources as they are when it runs, so a task never runs a build older than the sources. Schemas point
   * into the current build. Files are rewritten only when their content changes.
   * @param {string} key
   */
  function writeEntries(key) {
    for (const name of ['executors.json', 'generators.json']) {
      const file = path.join(cacheRoot, key, name);
      if (!fs.existsSync(file)) continue;
      const collection = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const group of COLLECTIONS) {
        for (const entry of Object.values(collection[group] ?? {})) {
          if (!entry || typeof entry !== 'object') continue;
          for (const field of MODULE_FIELDS) if (typeof entry[field] === 'string') entry[field] = entryModule(entry[field]);
          if (typeof entry.schema === 'string') entry.schema = `./${key}/${entry.schema.replace(/^\.\//, '')}`;
        }
      }
      writeIfChanged(path.join(cacheRoot, name), `${JSON.stringify(collection, null, 2)}\n`);
    }
  }

  /**
   * Writes the entry module for an implementation such as `./src/executors/phase/executor#run` and returns
   * the path Nx should use for it (`./entries/src/executors/phase/executor#run`).
   * @param {string} implementation
   */
  function entryModule(implementation) {
    const [modulePath, exportName] = implementation.split('#');
    const relative = modulePath.replace(/^\.\//, '').replace(/\.[cm]?[jt]s$/, '');
    const file = path.join(cacheRoot, 'entries', `${relative}.js`);
    const loader = path.relative(path.dirname(file), path.join(__dirname, 'load.js')).split(path.sep).join('/');
    const content = [
      `// Generated by tools/dev-plugin/build.js: ${relative} from the build of the current sources.`,
      `module.exports = require(${JSON.stringify(loader)})(${JSON.stringify(repoRoot)}, ${JSON.stringify(`${relative}.js`)});`,
      '',
    ].join('\n');
    writeIfChanged(file, content);
    return `./entries/${relative}${exportName === undefined ? '' : `#${exportName}`}`;
  }

  return { ensureBuilt, load, cacheRoot };
}

/** Package-relative POSIX paths of the plugin files that run (the rule of `codeFiles` in src/code-version.ts), sorted. @param {string} packageRoot */
function sourceFiles(packageRoot) {
  /** @type {string[]} */
  const files = TOP_FILES.filter((name) => fs.existsSync(path.join(packageRoot, name)));
  /** @param {string} relative */
  const collect = (relative) => {
    const absolute = path.join(packageRoot, relative);
    if (!fs.existsSync(absolute)) return;
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const rel = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) collect(rel);
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        files.push(rel);
      }
    }
  };
  FOLDERS.forEach(collect);
  return files.sort();
}

/** Renames a finished build into place; when another process got there first, its build stays. @param {string} temp @param {string} dir */
function renameIntoPlace(temp, dir) {
  try {
    fs.renameSync(temp, dir);
  } catch (error) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) throw error;
  }
}

/** Writes a file via temp file + rename, only when its content differs. @param {string} file @param {string} content */
function writeIfChanged(file, content) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return;
  } catch {
    // missing: write it
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

/** A file's bytes, or none when it does not exist. @param {string} file */
function readIfExists(file) {
  return fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
}

/** @param {string | Buffer} content */
function sha256(content) {
  return createHash('sha256').update(content).digest('hex');
}

module.exports = { createDevBuild, sourceFiles };
