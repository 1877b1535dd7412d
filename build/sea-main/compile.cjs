// Compiles and runs the agents bundle (dist/ocfkit.cjs) inside the single executable, with a V8
// code cache that a training run made at build time (build/sea-main/train.mjs). Node's own SEA
// code cache holds only what V8 compiles before running the script; every function an action
// calls would still be compiled on each run of the agent, some 10 ms per monitor. A cache taken
// after a real monitor holds those functions as bytecode.
// The training run and the executable must compile exactly the same text: V8 accepts a cache only
// for the source it was made from (and the same V8 version and flags).
'use strict';
const path = require('node:path');
const vm = require('node:vm');

const PARAMETERS = 'exports, require, module, __filename, __dirname';

/** Compiles a CommonJS bundle's text; `name` is what stack traces call it. */
function compileBundle(source, name, cachedData) {
  // the shebang line becomes an empty line: line numbers in stack traces stay right
  const text = `(function (${PARAMETERS}) {${source.replace(/^#!.*/, '')}\n})`;
  return new vm.Script(text, { filename: name, ...(cachedData ? { cachedData } : {}) });
}

/** Runs a compiled bundle as a CommonJS module of `filename`; returns its exports. */
function runBundle(script, requireFunction, filename) {
  const module_ = { exports: {} };
  script.runInThisContext()(module_.exports, requireFunction, module_, filename, path.dirname(filename));
  return module_.exports;
}

module.exports = { compileBundle, runBundle };
