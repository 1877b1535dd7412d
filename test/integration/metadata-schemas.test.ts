// Schema gate: every agent's meta-data validates against the three validators that disagree:
// ra-api-1.dtd (what ocf-tester checks), resource-agents' metadata.rng, and OCF 1.1's ra-api.rng.
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentNames } from '../../agents/registry';
import { ocfkit, repoRoot, runProgram } from '../support/binaries';
import { buildTestAgent } from '../support/test-agent-build';
import { integrationSuite } from '../support/integration';
import { binary, file } from '../harness/needs';

const DTD = '/usr/share/resource-agents/ra-api-1.dtd';
const RESOURCE_AGENTS_RNG = '/usr/share/resource-agents/metadata.rng';
const OCF_1_1_RNG = path.join(repoRoot, 'test/fixtures/schemas/ra-api-1.1.rng');

const schemas = integrationSuite('meta-data against the three OCF schemas', [binary('xmllint'), file(DTD), file(RESOURCE_AGENTS_RNG)]);

function metaDataOf(name: string): string {
  if (name === 'TestResource') return runProgram(buildTestAgent(), ['meta-data']).stdout;
  const r = ocfkit(['meta-data', name]);
  assert.is(r.status, 0, r.stderr);
  return r.stdout;
}

function check(name: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-meta-'));
  try {
    const xml = path.join(dir, `${name}.xml`);
    writeFileSync(xml, metaDataOf(name));
    // the DOCTYPE names ra-api-1.dtd relative to the file, exactly as ocf-tester resolves it
    copyFileSync(DTD, path.join(dir, 'ra-api-1.dtd'));
    for (const args of [['--valid'], ['--relaxng', RESOURCE_AGENTS_RNG], ['--relaxng', OCF_1_1_RNG]]) {
      const r = runProgram('xmllint', ['--noout', ...args, xml]);
      assert.is(r.status, 0, `${name}: xmllint ${args.join(' ')}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

schemas('the OCF 1.1 schema is part of the repository', () => {
  assert.ok(existsSync(OCF_1_1_RNG));
});

schemas('the test-only agent (proves the runtime renders valid meta-data)', () => check('TestResource'));

schemas('every shipped agent', () => {
  for (const name of agentNames()) check(name);
});

schemas('the validators really reject broken meta-data', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-meta-'));
  try {
    const xml = path.join(dir, 'broken.xml');
    // shortdesc before longdesc: the DTD's order
    writeFileSync(
      xml,
      metaDataOf('TestResource').replace(/<longdesc lang="en">\n([^<]*)\n<\/longdesc>\n(<shortdesc[^\n]*)/, '$2\n<longdesc lang="en">$1</longdesc>'),
    );
    copyFileSync(DTD, path.join(dir, 'ra-api-1.dtd'));
    assert.is.not(runProgram('xmllint', ['--noout', '--valid', xml]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

schemas.run();
