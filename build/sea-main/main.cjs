// The main script of the single executable: the agents bundle and its trained code cache travel
// as SEA assets (build/sea.mjs); see compile.cjs for why they are not the SEA main itself.
'use strict';
const sea = require('node:sea');
const { compileBundle, runBundle } = require('./compile.cjs');

const script = compileBundle(sea.getAsset('ocfkit.cjs', 'utf8'), 'ocfkit.cjs', Buffer.from(sea.getRawAsset('ocfkit.code-cache')));
// Still correct without the cache, only slower; the build fails when this warning appears.
if (script.cachedDataRejected) process.emitWarning('the code cache of ocfkit.cjs was rejected (built for another Node?)');
runBundle(script, require, process.execPath);
