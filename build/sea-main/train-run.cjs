// One training run (build/sea-main/train.mjs starts it under the executable's Node base, through a
// symlink named like the agent or "ocfkit"): compiles the bundle exactly as the executable will,
// runs it with the given arguments, and at exit writes the code cache, which now also holds every
// function this run compiled. A cache given as input carries earlier runs' functions forward.
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { compileBundle, runBundle } = require('./compile.cjs');

const bundle = process.env.OCFKIT_TRAIN_BUNDLE;
const input = process.env.OCFKIT_TRAIN_CACHE_IN;
const output = process.env.OCFKIT_TRAIN_CACHE_OUT;
if (!bundle || !output) throw new Error('OCFKIT_TRAIN_BUNDLE and OCFKIT_TRAIN_CACHE_OUT are required');
const script = compileBundle(readFileSync(bundle, 'utf8'), input && existsSync(input) ? readFileSync(input) : undefined);
if (script.cachedDataRejected) throw new Error(`the code cache ${input} was rejected`);
process.on('exit', () => writeFileSync(output, script.createCachedData()));
runBundle(script, require, bundle);
