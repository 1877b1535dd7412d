// The training run (build/sea-main/train.mjs starts it under the executable's Node base, through a
// symlink named like the agent): compiles the bundle exactly as the executable will, runs it, and
// at exit writes the code cache, which then also holds every function this run compiled.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { compileBundle, runBundle } = require('./compile.cjs');

const bundle = process.env.OCFKIT_TRAIN_BUNDLE;
const output = process.env.OCFKIT_TRAIN_CACHE_OUT;
if (!bundle || !output) throw new Error('OCFKIT_TRAIN_BUNDLE and OCFKIT_TRAIN_CACHE_OUT are required');
const script = compileBundle(readFileSync(bundle, 'utf8'), 'ocfkit.cjs');
process.on('exit', () => writeFileSync(output, script.createCachedData()));
runBundle(script, require, bundle);
