// The RPM end to end: `npm run package -- --deb --rpm` builds it beside the .deb from the same
// tree, rpm -qp shows the expected header, dependencies and files (the .deb's files, less the two
// only Debian has), rpmlint has no errors and each of its warnings is listed in docs/packaging.md, and the
// real rpm installs, verifies and erases it. Installing happens in an overlay namespace
// (test/support/overlay-machine.ts) with rpm's database in its /var: nothing outside the test sees
// the package, and Pacemaker's tools of this machine find its agents there.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderMetaData } from '../../agents/ocf/metadata';
import { agentNames, loadAgent } from '../../agents/registry';
import { repoRoot, type Ran } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary, root } from '../harness/needs';
import { startOverlayMachine, type OverlayMachine } from '../support/overlay-machine';

interface Entry {
  mode: string;
  owner: string;
  /** rpm's file flags: c config, n noreplace, l license, d doc */
  flags: string;
  target?: string;
}

interface Context {
  rpm: string;
  deb: string;
  /** the RPM's files and owned directories, path -> entry */
  contents: Map<string, Entry>;
  /** dpkg-deb --contents paths, directories included */
  debPaths: Map<string, string>;
  machine?: OverlayMachine;
}

const EXAMPLE_CONFIG = path.join(repoRoot, 'rules/config/ocfkit.example.yaml');
const upstreamVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
// Debian's rpm keeps its database in the caller's home; inside the namespace it lives in the overlaid /var
const RPM = ['rpm', '--dbpath', '/var/lib/rpm'];

const pkg = integrationSuite<Context>(
  'RPM package: build, header, files like the .deb, rpmlint, install, verify, erase',
  [
    root,
    binary('rpmbuild', 'rpm'),
    binary('rpm', 'rpm'),
    binary('rpmlint', 'rpmlint'),
    binary('dpkg-deb'),
    binary('unshare'),
    binary('nsenter'),
    binary('crm_resource'),
  ],
  { rpm: '', deb: '', contents: new Map(), debPaths: new Map() },
);

function run(file: string, args: string[]): Ran {
  const result = spawnSync(file, args, { encoding: 'utf8', cwd: repoRoot, timeout: 900_000, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function ok(ran: Ran, what: string): string {
  assert.is(ran.status, 0, `${what} failed (exit ${ran.status}):\n${ran.stdout}${ran.stderr}`);
  return ran.stdout;
}

pkg.before(async (ctx) => {
  try {
    const built = ok(
      run(process.execPath, [path.join(repoRoot, 'build/package.mjs'), '--deb', '--rpm', '--uncompressed']),
      'npm run package -- --deb --rpm --uncompressed',
    );
    const rpm = /built (dist\/ocfkit-[^ ]+\.x86_64\.rpm)/.exec(built);
    const deb = /built (dist\/ocfkit_[^ ]+_amd64\.deb)/.exec(built);
    assert.ok(rpm && deb, `package.mjs did not name both packages it built:\n${built}`);
    ctx.rpm = path.join(repoRoot, rpm![1]!);
    ctx.deb = path.join(repoRoot, deb![1]!);
    // "-rw-r--r-- root/root cn /etc/ocfkit/ocfkit.yaml " (flags and link target may be empty)
    const format = '[%{FILEMODES:perms} %{FILEUSERNAME}/%{FILEGROUPNAME} :%{FILEFLAGS:fflags}: %{FILENAMES} %{FILELINKTOS}\\n]';
    for (const line of ok(run('rpm', ['-qp', '--qf', format, ctx.rpm]), 'rpm -qp file list')
      .split('\n')
      .filter(Boolean)) {
      const match = /^(\S+) (\S+) :(\w*): (\S+) ?(\S*)$/.exec(line);
      assert.ok(match, `unreadable rpm file line: ${line}`);
      ctx.contents.set(match![4]!, { mode: match![1]!, owner: match![2]!, flags: match![3]!, target: match![5] || undefined });
    }
    for (const line of ok(run('dpkg-deb', ['--contents', ctx.deb]), 'dpkg-deb --contents')
      .split('\n')
      .filter(Boolean)) {
      const match = /^(\S+) \S+\s+\d+ \S+ \S+ \.(\/\S*?)\/?(?: -> \S+)?$/.exec(line);
      assert.ok(match, `unreadable dpkg-deb --contents line: ${line}`);
      if (match![2] !== '/') ctx.debPaths.set(match![2]!, match![1]!);
    }
    ctx.machine = await startOverlayMachine();
  } catch (error) {
    // uvu does not report a failing before hook; say why every test of the suite fails
    console.error('preparing the RPM suite failed:', error);
    throw error;
  }
});

pkg.after((ctx) => {
  ctx.machine?.close();
});

pkg('rpm -qp: name, version, release, architecture and dependencies for both RPM families', (ctx) => {
  const query = (format: string) => ok(run('rpm', ['-qp', '--qf', format, ctx.rpm]), `rpm -qp --qf ${format}`);
  assert.is(query('%{NAME} %{VERSION} %{ARCH}'), `ocfkit ${upstreamVersion} x86_64`);
  const debVersion = /_([^_]+)_amd64\.deb$/.exec(ctx.deb)![1]!;
  assert.is(`${upstreamVersion}-${query('%{RELEASE}')}`, debVersion, 'the release is the Debian revision');
  const requires = ok(run('rpm', ['-qpR', ctx.rpm]), 'rpm -qpR').split('\n');
  // both families ship crm_resource in pacemaker-cli; the ELF dependencies come from rpmbuild
  for (const name of ['pacemaker-cli', 'libc.so.6()(64bit)', 'libstdc++.so.6()(64bit)'])
    assert.ok(requires.includes(name), `Requires ${name}: ${requires.join(', ')}`);
  const recommends = ok(run('rpm', ['-qp', '--recommends', ctx.rpm]), 'rpm -qp --recommends').split('\n');
  for (const name of ['pacemaker', 'libvirt-client', 'drbd-utils', 'lvm2', '(systemd-udev or udev)'])
    assert.ok(recommends.includes(name), `Recommends ${name}: ${recommends.join(', ')}`);
  const suggests = ok(run('rpm', ['-qp', '--suggests', ctx.rpm]), 'rpm -qp --suggests').split('\n');
  assert.ok(suggests.includes('(pcs or crmsh)'), `Suggests (pcs or crmsh): ${suggests.join(', ')}`);
  // the same description text as the .deb's
  const description = query('%{DESCRIPTION}');
  const control = ok(run('dpkg-deb', ['--field', ctx.deb, 'Description']), 'dpkg-deb --field Description');
  const debBody = control
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => (line === ' .' ? '' : line.slice(1)))
    .join('\n');
  assert.is(description, debBody);
  assert.is(query('%{SUMMARY}'), control.split('\n')[0]);
});

pkg("the RPM has the .deb's files, less what only Debian has, and owns only its own directories", (ctx) => {
  const debianOnly = new Set([
    '/usr/share/doc/ocfkit/changelog.Debian.gz',
    '/usr/share/lintian',
    '/usr/share/lintian/overrides',
    '/usr/share/lintian/overrides/ocfkit',
  ]);
  const debFiles = [...ctx.debPaths].filter(([file, mode]) => !mode.startsWith('d') && !debianOnly.has(file)).map(([file]) => file);
  const rpmFiles = [...ctx.contents].filter(([, entry]) => !entry.mode.startsWith('d')).map(([file]) => file);
  assert.equal(rpmFiles.sort(), debFiles.sort());
  for (const [file, entry] of ctx.contents) {
    assert.is(entry.owner, 'root/root', `${file} is root-owned`);
    if (!entry.mode.startsWith('d')) assert.is(entry.mode, ctx.debPaths.get(file), `${file} has the .deb's mode`);
  }
  // directories: the ones only ocfkit puts there, never /usr/sbin, /etc or the man sections
  const owned = [...ctx.contents].filter(([, entry]) => entry.mode.startsWith('d')).map(([file]) => file);
  assert.equal(
    owned.sort(),
    [
      ...(existsSync(EXAMPLE_CONFIG) ? ['/etc/ocfkit'] : []),
      '/usr/lib/ocf',
      '/usr/lib/ocf/resource.d',
      '/usr/lib/ocf/resource.d/ocfkit',
      '/usr/lib/ocfkit',
      '/usr/share/doc/ocfkit',
    ].sort(),
  );
  for (const agent of agentNames()) {
    const link = ctx.contents.get(`/usr/lib/ocf/resource.d/ocfkit/${agent}`);
    assert.ok(link?.mode.startsWith('l'), `${agent} is a symlink`);
    assert.is(path.resolve('/usr/lib/ocf/resource.d/ocfkit', link!.target!), '/usr/sbin/ocfkit');
  }
  if (existsSync(EXAMPLE_CONFIG)) assert.is(ctx.contents.get('/etc/ocfkit/ocfkit.yaml')?.flags, 'cn', 'the site configuration is %config(noreplace)');
  assert.match(ctx.contents.get('/usr/share/doc/ocfkit/copyright')?.flags ?? '', /l/, 'the copyright file is the %license');
});

pkg('scriptlets are valid sh and never start, stop or restart anything', (ctx) => {
  const scriptlet = (tag: string) => ok(run('rpm', ['-qp', '--qf', `%{${tag}}`, ctx.rpm]), `rpm -qp --qf %{${tag}}`);
  for (const tag of ['PRETRANS', 'PREIN', 'POSTUN', 'POSTTRANS']) assert.is(scriptlet(tag), '(none)', `no ${tag} scriptlet`);
  const [post, preun] = [scriptlet('POSTIN'), scriptlet('PREUN')];
  for (const [name, script] of [
    ['%post', post!],
    ['%preun', preun!],
  ] as const) {
    const checked = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
    assert.is(checked.status, 0, `${name}: ${checked.stderr}`);
    const code = script
      .split('\n')
      .filter((line) => !/^\s*#/.test(line))
      .join('\n');
    assert.not.match(
      code,
      /\b(systemctl|service|chkconfig|crm_resource|crm|pcs|cibadmin|kill|pkill|killall|corosync|pacemakerd)\b/,
      `${name} runs no service or cluster command`,
    );
  }
});

pkg('rpmlint finds no errors; every warning is listed in docs/packaging.md', (ctx) => {
  const spec = path.join(repoRoot, 'dist/ocfkit.spec');
  const ran = run('rpmlint', ['-c', path.join(repoRoot, 'build/rpm/rpmlint.toml'), ctx.rpm, spec]);
  const findings = ran.stdout.split('\n').filter((line) => /^\S+: [EW]: /.test(line));
  for (const line of findings) console.log(`  rpmlint ${line}`);
  assert.equal(
    findings.filter((line) => / E: /.test(line)),
    [],
    'rpmlint errors',
  );
  assert.is(ran.status, 0, `rpmlint exit ${ran.status}: ${ran.stderr}`);
  const packagingDoc = readFileSync(path.join(repoRoot, 'docs/packaging.md'), 'utf8');
  for (const tag of new Set(findings.map((line) => / W: (\S+)/.exec(line)![1]!)))
    assert.ok(packagingDoc.includes(`\`${tag}\``), `docs/packaging.md explains rpmlint's ${tag}`);
});

pkg('rpm -i installs it (taking over an earlier "ocfkit install"), rpm -V verifies it', (ctx) => {
  const m = ctx.machine!;
  ok(
    m.run(['rm', '-rf', '/usr/sbin/ocfkit', '/usr/lib/ocf/resource.d/ocfkit', '/usr/lib/ocfkit', '/var/lib/ocfkit', '/etc/ocfkit', '/var/lib/rpm']),
    'clearing the overlay',
  );
  // records of earlier "ocfkit install" runs: ocfkit 0.1's single manifest, the /usr install the
  // package takes over, and one under another prefix that must stay recorded
  ok(m.run(['sh', '-c', 'mkdir -p /var/lib/ocfkit/installs && echo "{\\"files\\": []}" > /var/lib/ocfkit/installed-files.json']), 'a 0.1 install manifest');
  for (const name of ['usr.json', 'usr%2Flocal.json']) ok(m.run(['sh', '-c', `echo '{"version": 2, "files": []}' > '/var/lib/ocfkit/installs/${name}'`]), name);
  // --nodeps: this rpm database knows none of the Debian machine's packages
  const installed = m.run([...RPM, '-i', '--nodeps', ctx.rpm]);
  ok(installed, 'rpm -i');
  assert.match(installed.stderr, /the package now owns the files of an earlier "ocfkit install"/);
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installed-files.json']).status, 1, 'the 0.1 manifest is gone');
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installs/usr.json']).status, 1, 'the record of the /usr install is gone');
  assert.is(m.run(['test', '-e', '/var/lib/ocfkit/installs/usr%2Flocal.json']).status, 0, 'the /usr/local install stays recorded');
  // --nodeps here too: only the files are verified
  assert.is(ok(m.run([...RPM, '-V', '--nodeps', 'ocfkit']), 'rpm -V'), '', 'installed files match the package');
  assert.is(ok(m.run(['/usr/sbin/ocfkit', '--version']), 'ocfkit --version').trim(), upstreamVersion);
  // rpm -V notices a changed file: the verification above can fail
  ok(m.run(['sh', '-c', 'echo "# local" >> /usr/lib/ocfkit/drbd-split-brain-handler']), 'changing a file');
  assert.match(m.run([...RPM, '-V', '--nodeps', 'ocfkit']).stdout, /^S\.5\S* +\/usr\/lib\/ocfkit\/drbd-split-brain-handler$/m);
  ok(m.run([...RPM, '-i', '--nodeps', '--replacepkgs', ctx.rpm]), 'rpm -i --replacepkgs');
  assert.is(ok(m.run([...RPM, '-V', '--nodeps', 'ocfkit']), 'rpm -V after reinstalling'), '');
});

pkg('the installed agents answer meta-data through Pacemaker', async (ctx) => {
  const m = ctx.machine!;
  const listed = ok(m.run(['crm_resource', '--list-agents', 'ocf:ocfkit']), 'crm_resource --list-agents ocf:ocfkit');
  assert.equal(listed.split('\n').filter(Boolean).sort(), [...agentNames()].sort());
  for (const name of agentNames()) {
    const shown = ok(m.run(['crm_resource', '--show-metadata', `ocf:ocfkit:${name}`]), `crm_resource --show-metadata ocf:ocfkit:${name}`);
    assert.fixture(shown.trim(), renderMetaData(await loadAgent(name)).trim());
  }
  const handler = m.run(['/usr/lib/ocfkit/drbd-split-brain-handler', '--help']);
  assert.match(handler.stdout + handler.stderr, /ocfkit/, 'the wrapper runs /usr/sbin/ocfkit');
});

pkg('rpm -e warns about a CIB that still uses ocf:ocfkit and leaves nothing behind', (ctx) => {
  const m = ctx.machine!;
  const cib = '<cib><configuration><resources><primitive id="vm1" class="ocf" provider="ocfkit" type="VirtualMachine"/></resources></configuration></cib>';
  ok(m.run(['sh', '-c', 'mkdir -p /var/lib/pacemaker/cib && printf "%s\\n" "$1" > /var/lib/pacemaker/cib/cib.xml', 'sh', cib]), 'writing a CIB');
  const erased = m.run([...RPM, '-e', 'ocfkit']);
  ok(erased, 'rpm -e');
  assert.match(erased.stderr, /warning: the cluster configuration still has ocf:ocfkit resources/);
  assert.is(m.run([...RPM, '-q', 'ocfkit']).status, 1, 'rpm knows no ocfkit package any more');
  // /usr/lib/ocf and its resource.d stay: this machine's Pacemaker and resource-agents share them
  const own = [...ctx.contents.keys()].filter((file) => file.includes('ocfkit'));
  const present = ok(m.run(['sh', '-c', 'for f; do if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done', 'sh', ...own]), 'checking paths');
  assert.is(present, '', 'every file and directory of the package is gone');
  assert.equal(m.additions(['usr', 'etc']), [], 'nothing the package made is left in /usr or /etc');
});

pkg.run();
