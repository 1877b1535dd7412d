// Loads the CLI libraries bundle on first use: from the single executable's SEA asset, or from
// dist/ocfkit-cli-libraries.cjs beside dist/ocfkit.cjs when running under Node.
'use strict';
const { compileBundle, runBundle } = require('../sea-main/compile.cjs');

const ASSET = 'cli-libraries.cjs';
let loaded;

module.exports = function loadCliLibraries() {
  if (loaded) return loaded;
  const sea = require('node:sea');
  if (sea.isSea()) {
    // the asset needs only Node's built-in modules: everything else is bundled into it
    loaded = runBundle(compileBundle(sea.getAsset(ASSET, 'utf8'), ASSET), require, process.execPath);
  } else {
    loaded = require(require('node:path').join(__dirname, 'ocfkit-cli-libraries.cjs'));
  }
  return loaded;
};
