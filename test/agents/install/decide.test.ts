import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideInstall, decideUninstall, InstallRefused, type Found, type Wanted } from '../../../agents/install/decide';
import type { ManifestEntry } from '../../../agents/install/manifest';

const EXE = '/usr/sbin/ocfkit';
const LINK = '/usr/lib/ocf/resource.d/ocfkit/VirtualMachine';
const NEW = 'a'.repeat(64);
const OLD = 'b'.repeat(64);
const OTHER = 'c'.repeat(64);
const wantExe: Wanted = { kind: 'file', path: EXE, size: 100, sha256: NEW };
const wantLink: Wanted = { kind: 'symlink', path: LINK, target: EXE };
const file = (size: number, sha256?: string): Found => ({ kind: 'file', size, sha256 });
const at =
  (found: Record<string, Found>) =>
  (path: string): Found =>
    found[path] ?? { kind: 'missing' };

test('install: a table of what is at the executable path and what the manifests record', () => {
  const rows: Array<[string, Found, ManifestEntry[], 'write' | 'unchanged' | 'foreign' | RegExp]> = [
    ['nothing there', { kind: 'missing' }, [], 'write'],
    ['our earlier version, recorded', file(90, OLD), [{ kind: 'file', path: EXE, size: 90, sha256: OLD }], 'write'],
    ['the same content, recorded', file(100, NEW), [{ kind: 'file', path: EXE, size: 100, sha256: NEW }], 'unchanged'],
    ['the same content, not recorded', file(100, NEW), [], 'foreign'],
    [
      'a file nobody recorded',
      file(90, OLD),
      [],
      /^not overwriting \/usr\/sbin\/ocfkit: a file that ocfkit install did not write \(no install manifest records it\); move it away first/,
    ],
    [
      'recorded, then changed by someone',
      file(90, OTHER),
      [{ kind: 'file', path: EXE, size: 90, sha256: OLD }],
      /\(it changed since ocfkit install wrote it\)/,
    ],
    ['recorded size, other content', file(90, OTHER), [{ kind: 'file', path: EXE, size: 90, sha256: OLD }], /not overwriting/],
    ['recorded hash, other size', file(91, OLD), [{ kind: 'file', path: EXE, size: 90, sha256: OLD }], /not overwriting/],
    ['a file recorded by an older ocfkit without a hash', file(90, OLD), [{ kind: 'file', path: EXE, size: -1, sha256: '' }], /without a content hash/],
    ['a symlink there', { kind: 'symlink', target: '/opt/x' }, [], /a symlink to \/opt\/x that ocfkit install did not write/],
    ['a directory there', { kind: 'directory' }, [{ kind: 'directory', path: EXE }], /a directory that/],
    ['a device there', { kind: 'other' }, [], /something that/],
    [
      'recorded at another path only',
      file(90, OLD),
      [{ kind: 'file', path: '/usr/local/sbin/ocfkit', size: 90, sha256: OLD }],
      /no install manifest records it/,
    ],
  ];
  for (const [name, found, recorded, expected] of rows) {
    if (expected instanceof RegExp) {
      assert.throws(
        () => decideInstall([wantExe], at({ [EXE]: found }), recorded),
        (e: Error) => e instanceof InstallRefused && expected.test(e.message) && !e.message.includes('\n'),
        name,
      );
      continue;
    }
    const [step] = decideInstall([wantExe], at({ [EXE]: found }), recorded);
    const got = step!.action === 'write' ? 'write' : step!.recorded ? 'unchanged' : 'foreign';
    assert.is(got, expected, name);
  }
});

test('install: a table of symlinks', () => {
  const rows: Array<[string, Found, ManifestEntry[], 'write' | 'unchanged' | 'foreign' | RegExp]> = [
    ['nothing there', { kind: 'missing' }, [], 'write'],
    ['our link, recorded', { kind: 'symlink', target: EXE }, [{ kind: 'symlink', path: LINK, target: EXE }], 'unchanged'],
    [
      'a link another prefix recorded',
      { kind: 'symlink', target: '/usr/local/sbin/ocfkit' },
      [{ kind: 'symlink', path: LINK, target: '/usr/local/sbin/ocfkit' }],
      'write',
    ],
    [
      'a link an older ocfkit recorded',
      { kind: 'symlink', target: '/usr/local/sbin/ocfkit' },
      [{ kind: 'symlink', path: LINK, target: '/usr/local/sbin/ocfkit' }],
      'write',
    ],
    [
      'a link nobody recorded, named like ocfkit',
      { kind: 'symlink', target: '/opt/ocfkit' },
      [],
      /not overwriting .*VirtualMachine: a symlink to \/opt\/ocfkit/,
    ],
    ['recorded, then repointed', { kind: 'symlink', target: '/opt/other' }, [{ kind: 'symlink', path: LINK, target: EXE }], /it changed since/],
    ['a file where the link was', file(3, OLD), [{ kind: 'symlink', path: LINK, target: EXE }], /a file that/],
  ];
  for (const [name, found, recorded, expected] of rows) {
    if (expected instanceof RegExp) {
      assert.throws(
        () => decideInstall([wantLink], at({ [LINK]: found }), recorded),
        (e: Error) => expected.test(e.message),
        name,
      );
      continue;
    }
    const [step] = decideInstall([wantLink], at({ [LINK]: found }), recorded);
    assert.is(step!.action === 'write' ? 'write' : step!.recorded ? 'unchanged' : 'foreign', expected, name);
  }
});

test('install refuses before deciding anything else, naming the first path and how many more', () => {
  assert.throws(
    () => decideInstall([wantExe, wantLink], at({ [EXE]: file(1, OLD), [LINK]: { kind: 'symlink', target: '/x' } }), []),
    (e: Error) => /^not overwriting \/usr\/sbin\/ocfkit: .* \(and 1 more\)$/.test(e.message),
  );
});

test('uninstall: a table of what is there now against what was recorded', () => {
  const rows: Array<[string, ManifestEntry, Found, string]> = [
    ['file unchanged', { kind: 'file', path: EXE, size: 90, sha256: OLD }, file(90, OLD), 'remove'],
    ['file changed', { kind: 'file', path: EXE, size: 90, sha256: OLD }, file(90, OTHER), 'keep: its content changed'],
    ['file grown', { kind: 'file', path: EXE, size: 90, sha256: OLD }, file(91), 'keep: its content changed'],
    [
      'file replaced by a symlink',
      { kind: 'file', path: EXE, size: 90, sha256: OLD },
      { kind: 'symlink', target: '/etc/passwd' },
      'keep: it points to /etc/passwd now',
    ],
    ['file gone', { kind: 'file', path: EXE, size: 90, sha256: OLD }, { kind: 'missing' }, 'gone'],
    [
      'file without a hash (ocfkit 0.1)',
      { kind: 'file', path: EXE, size: -1, sha256: '' },
      file(90, OLD),
      'keep: an older ocfkit recorded it without a content hash',
    ],
    ['link unchanged', { kind: 'symlink', path: LINK, target: EXE }, { kind: 'symlink', target: EXE }, 'remove'],
    [
      'link repointed',
      { kind: 'symlink', path: LINK, target: EXE },
      { kind: 'symlink', target: '/opt/sbin/ocfkit' },
      'keep: it points to /opt/sbin/ocfkit now, not to /usr/sbin/ocfkit',
    ],
    ['link replaced by a file', { kind: 'symlink', path: LINK, target: EXE }, file(3), 'keep: its content changed'],
    ['directory', { kind: 'directory', path: '/usr/lib/ocf' }, { kind: 'directory' }, 'remove-if-empty'],
    ['directory replaced by a symlink', { kind: 'directory', path: '/usr/lib/ocf' }, { kind: 'symlink', target: '/' }, 'keep: it points to / now'],
  ];
  for (const [name, entry, found, expected] of rows) {
    const [step] = decideUninstall([entry], at({ [entry.path]: found }));
    const got = step!.action === 'keep' ? `keep: ${step!.reason}` : step!.action;
    assert.ok(got.startsWith(expected), `${name}: ${got}`);
  }
});

test('uninstall removes files before the directories created for them, innermost first', () => {
  const entries: ManifestEntry[] = [
    { kind: 'directory', path: '/o' },
    { kind: 'directory', path: '/o/sbin' },
    { kind: 'file', path: '/o/sbin/ocfkit', size: 1, sha256: OLD },
  ];
  const steps = decideUninstall(entries, at({ '/o': { kind: 'directory' }, '/o/sbin': { kind: 'directory' }, '/o/sbin/ocfkit': file(1, OLD) }));
  assert.equal(
    steps.map((s) => `${s.action} ${s.entry.path}`),
    ['remove /o/sbin/ocfkit', 'remove-if-empty /o/sbin', 'remove-if-empty /o'],
  );
});

test('uninstall accepts either content of a path recorded twice (an install cut short)', () => {
  const entries: ManifestEntry[] = [
    { kind: 'file', path: EXE, size: 90, sha256: OLD },
    { kind: 'file', path: EXE, size: 100, sha256: NEW },
  ];
  for (const found of [file(90, OLD), file(100, NEW)]) {
    const steps = decideUninstall(entries, at({ [EXE]: found }));
    assert.equal(
      steps.map((s) => s.action),
      ['remove'],
    );
  }
  assert.equal(
    decideUninstall(entries, at({ [EXE]: file(100, OTHER) })).map((s) => s.action),
    ['keep'],
  );
});

test.run();
