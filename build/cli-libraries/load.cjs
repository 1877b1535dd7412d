// Loads the CLI libraries bundle on first use: from the single executable's SEA asset, or from
// dist/ocfkit-cli-libraries.cjs beside dist/ocfkit.cjs when running under Node.
'use strict';
const ASSET = 'cli-libraries.cjs';
let loaded;

module.exports = function loadCliLibraries() {
  if (loaded) return loaded;
  let sea;
  try {
    sea = require('node:sea');
  } catch {
    sea = undefined; // Node without node:sea: never a single executable
  }
  if (sea && sea.isSea()) {
    const code = sea.getAsset(ASSET, 'utf8');
    const wrapper = require('node:vm').compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: ASSET });
    const module_ = { exports: {} };
    // the asset needs only Node's built-in modules: everything else is bundled into it
    wrapper(module_.exports, require, module_, process.execPath, require('node:path').dirname(process.execPath));
    loaded = module_.exports;
  } else {
    loaded = require(require('node:path').join(__dirname, 'ocfkit-cli-libraries.cjs'));
  }
  return loaded;
};
