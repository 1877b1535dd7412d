// Every pcs and crmsh example of README.md and docs/ runs against a real CIB: each fenced block with
// pcs or crm commands starts from an empty CIB (cibadmin --empty, plus two nodes and
// stonith-enabled=false: fencing is configured apart from these examples, and without it
// crm_verify rejects every CIB), runs its commands in order (pcs -f FILE; crmsh with CIB_file=FILE)
// and crm_verify --xml-file accepts the result. An example that stops working fails here.
//
// Both tools check each parameter against the agent's meta-data, which they ask crm_resource for,
// and crm_resource finds agents only under its compiled OCF root: every command runs in a private
// mount namespace where /usr/lib/ocf/resource.d is an overlay of ocfkit/<Agent> symlinks to the
// built dist/ocfkit over the machine's own providers (linbit's drbd for the DRBD clone examples).
// No --force: an unknown or misspelt parameter fails the example. No --no-default-ops either: pcs
// adds the operations the meta-data advertises, as it does for users.
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentNames } from '../../agents/registry';
import { extractExamples, readDocumentation, usedNotCreated, type DocProblem, type ExampleBlock } from '../harness/doc-examples';
import { binaries, file, mountNamespaces, root } from '../harness/needs';
import { run, runOk, type RunResult } from '../harness/proc';
import { freshDir } from '../harness/tmp';
import { ocfkitBinary, repoRoot } from '../support/binaries';
import { integrationSuite } from '../support/integration';

/** Resources an example may use without creating them; each is put into its CIB first. */
const FIXTURES: Record<string, string> = {
  vm1: vmPrimitive('vm1', { config: '/etc/libvirt/qemu/vm1.xml' }),
  win1: vmPrimitive('win1', { config: '/etc/libvirt/qemu/win1.xml' }),
  web: vmPrimitive('web', { backend: 'xl', config: '/shared/xen/web.cfg' }),
  'drbd-vm1-clone':
    '<clone id="drbd-vm1-clone"><meta_attributes id="drbd-vm1-clone-meta"><nvpair id="drbd-vm1-clone-promotable" name="promotable" value="true"/>' +
    '<nvpair id="drbd-vm1-clone-promoted-max" name="promoted-max" value="2"/><nvpair id="drbd-vm1-clone-notify" name="notify" value="true"/></meta_attributes>' +
    '<primitive id="drbd-vm1" class="ocf" provider="linbit" type="drbd"><instance_attributes id="drbd-vm1-params"><nvpair id="drbd-vm1-drbd_resource" name="drbd_resource" value="vm1"/></instance_attributes></primitive></clone>',
  'lvmlockd-clone': '<clone id="lvmlockd-clone"><primitive id="lvmlockd" class="ocf" provider="heartbeat" type="lvmlockd"/></clone>',
};

function vmPrimitive(id: string, params: Record<string, string>): string {
  const pairs = Object.entries(params).map(([name, value]) => `<nvpair id="${id}-${name}" name="${name}" value="${value}"/>`);
  return `<primitive id="${id}" class="ocf" provider="ocfkit" type="VirtualMachine"><instance_attributes id="${id}-params">${pairs.join('')}</instance_attributes></primitive>`;
}

/**
 * crmsh prints these for every commit to a CIB file, whatever the example: the file has no live
 * status (so no quorum) and the base CIB disables fencing. Any other warning of crmsh or pcs fails the example.
 */
const ENVIRONMENT_WARNINGS = [/Fencing and resource management disabled due to lack of quorum/, /Blind faith: not fencing unseen nodes/];

const CONCURRENCY = Math.max(1, Number(process.env.OCFKIT_DOC_EXAMPLES_CONCURRENCY ?? 2));

interface BlockOutcome {
  block: ExampleBlock;
  fixtures: string[];
  failure?: string;
}

const docs = readDocumentation(repoRoot).map(({ file: doc, text }) => ({ file: doc, ...extractExamples(doc, text) }));
const problems: DocProblem[] = docs.flatMap((doc) => doc.problems);
const blocks: ExampleBlock[] = docs.flatMap((doc) => doc.blocks);

const examples = integrationSuite(
  'documentation: every pcs and crmsh example runs against a real CIB',
  [
    root,
    mountNamespaces,
    ...binaries({
      pcs: 'pcs',
      crm: 'crmsh',
      crm_verify: 'pacemaker-cli-utils',
      cibadmin: 'pacemaker-cli-utils',
      crm_attribute: 'pacemaker-cli-utils',
      crm_resource: 'pacemaker-cli-utils',
    }),
    file('/usr/lib/ocf/resource.d/linbit/drbd', 'drbd-utils'),
  ],
  { outcomes: new Map<ExampleBlock, BlockOutcome>(), seconds: 0 },
);

examples.before(async (ctx) => {
  const started = Date.now();
  const dir = freshDir('doc-examples');
  // the agents as `ocfkit install` lays them out, laid over the machine's providers
  const top = path.join(dir, 'ocf');
  mkdirSync(path.join(top, 'ocfkit'), { recursive: true });
  for (const name of agentNames()) symlinkSync(ocfkitBinary, path.join(top, 'ocfkit', name));
  const base = path.join(dir, 'base.xml');
  writeFileSync(base, (await runOk(['cibadmin', '--empty'])).stdout);
  const onBase = { env: { ...process.env, CIB_file: base } };
  for (const [id, node] of [
    ['1', 'node1'],
    ['2', 'node2'],
  ])
    await runOk(['cibadmin', '--create', '-o', 'nodes', '--xml-text', `<node id="${id}" uname="${node}"/>`], onBase);
  await runOk(['crm_attribute', '--type', 'crm_config', '--name', 'stonith-enabled', '--update', 'false'], onBase);
  let next = 0;
  const worker = async () => {
    while (next < blocks.length) {
      const index = next++;
      const block = blocks[index]!;
      ctx.outcomes.set(block, await runBlock(block, index, { dir, top, base }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, blocks.length) }, worker));
  ctx.seconds = (Date.now() - started) / 1000;
  const commands = blocks.flatMap((block) => block.commands);
  console.log(
    `  documentation examples: ${blocks.length} blocks, ${commands.filter((c) => c.tool === 'pcs').length} pcs and ${commands.filter((c) => c.tool === 'crm').length} crm commands in ${ctx.seconds.toFixed(1)} s`,
  );
});

async function runBlock(block: ExampleBlock, index: number, where: { dir: string; top: string; base: string }): Promise<BlockOutcome> {
  const fixtures = usedNotCreated(block.commands, Object.keys(FIXTURES));
  const cib = path.join(where.dir, `example-${index}.xml`);
  copyFileSync(where.base, cib);
  const env = { ...process.env, CIB_file: cib, HOME: where.dir };
  const fail = (what: string, result?: RunResult) => ({
    block,
    fixtures,
    failure: `${what}${result ? `exited ${result.code}:\n${(result.stderr + result.stdout).trim()}` : ''}\n(the example's CIB started empty${fixtures.length ? ` plus ${fixtures.join(', ')}` : ''}; OCFKIT_KEEP_TEST_TMP=1 keeps it: ${cib})`,
  });
  for (const id of fixtures) {
    const added = await run(['cibadmin', '--create', '-o', 'resources', '--xml-text', FIXTURES[id]!], { env });
    if (added.code !== 0) return fail(`adding the fixture ${id}: `, added);
  }
  for (const command of block.commands) {
    const argv = command.tool === 'pcs' ? ['pcs', '-f', cib, ...command.argv] : ['crm', ...command.argv];
    const result = await run(privateOcfRoot(where.top, argv), { env, timeoutMs: 180_000 });
    const at = `${block.file}:${command.line}: ${command.text}\n`;
    if (result.code !== 0) return fail(`${at}`, result);
    // a warning is the tool saying the example is not quite right (a short timeout, a deprecated form)
    const warnings = (result.stdout + result.stderr)
      .split('\n')
      .filter((line) => (command.tool === 'crm' ? /WARNING|ERROR/.test(line) : /^(Warning|Deprecation Warning):/i.test(line)))
      .filter((line) => !ENVIRONMENT_WARNINGS.some((known) => known.test(line)));
    if (warnings.length) return fail(`${at}${command.tool === 'crm' ? 'crmsh' : 'pcs'} warned:\n${warnings.join('\n')}`);
  }
  const verified = await run(['crm_verify', '--xml-file', cib], { env });
  if (verified.code !== 0) return fail(`crm_verify --xml-file after the block at ${block.file}:${block.line}: `, verified);
  return { block, fixtures };
}

/** argv run where /usr/lib/ocf/resource.d shows `top` (the ocfkit symlinks) over the machine's providers. */
function privateOcfRoot(top: string, argv: string[]): string[] {
  const script = 'mount -t overlay ocfkit-doc-examples -o "lowerdir=$1:/usr/lib/ocf/resource.d" /usr/lib/ocf/resource.d && shift && exec "$@"';
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', top, ...argv];
}

examples('the documentation writes every pcs and crm command as a runnable example', () => {
  assert.ok(problems.length === 0, problems.map((p) => `${p.file}:${p.line}: ${p.problem}`).join('\n'));
  // the suite proves nothing if it finds nothing: the agents' pages and the generated references hold examples
  for (const tool of ['pcs', 'crm'] as const)
    assert.ok(
      blocks.some((block) => block.commands.some((command) => command.tool === tool)),
      `no ${tool} example found`,
    );
});

for (const doc of [...new Set(blocks.map((block) => block.file))]) {
  examples(`the examples of ${doc} run and crm_verify accepts each result`, (ctx) => {
    const failures = blocks
      .filter((block) => block.file === doc)
      .map((block) => ctx.outcomes.get(block))
      .filter((outcome) => outcome?.failure !== undefined || outcome === undefined)
      .map((outcome) => outcome?.failure ?? 'not run');
    assert.ok(failures.length === 0, failures.join('\n\n'));
  });
}

examples.run();
