// The pure parts of the packaging scripts: the RPM's description and changelog come from the
// Debian files (build/debian/control and changelog, read as they are), and a release fails on any
// artifact that reports another version.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { versionMismatches } from '../../build/release-check.mjs';
import { changelog, description } from '../../build/rpm/rpm.mjs';
import { repoRoot } from '../support/binaries';

const test = suite('packaging: RPM fields from the Debian definitions, the release version rule');

test('description: the Debian Description field as Summary and %description', () => {
  const control = 'Package: x\nDescription: One line summary\n First paragraph,\n two lines.\n .\n Second paragraph.\nSection: admin\n';
  assert.equal(description(control), { summary: 'One line summary', body: 'First paragraph,\ntwo lines.\n\nSecond paragraph.' });
  // the real control file: its first body line and no Debian " ." left
  const real = description(readFileSync(path.join(repoRoot, 'build/debian/control'), 'utf8'));
  assert.is(real.summary, 'OCF resource agents and host configuration for virtual machine clusters');
  assert.match(real.body, /^ocfkit makes two- and three-node Pacemaker\/Corosync clusters/);
  assert.not.match(real.body, /^ ?\.$/m);
  assert.throws(() => description('Package: x\n'), /no Description field/);
});

test('changelog: Debian entries as RPM %changelog entries, newest first', () => {
  const debian = [
    'ocfkit (0.2.0-1) unstable; urgency=medium',
    '',
    '  * Second release: a change',
    '    that takes two lines.',
    '  * Another change.',
    '',
    ' -- A Packager <a@example.org>  Tue, 01 Dec 2026 12:00:00 +0000',
    '',
    'ocfkit (0.1.0-1) unstable; urgency=medium',
    '',
    '  * First package.',
    '',
    ' -- ocfkit developers <ocfkit@example.org>  Sun, 22 Nov 2026 00:00:00 +0000',
    '',
  ].join('\n');
  assert.is(
    changelog(debian),
    [
      '* Tue Dec 01 2026 A Packager <a@example.org> - 0.2.0-1',
      '- Second release: a change',
      '  that takes two lines.',
      '- Another change.',
      '',
      '* Sun Nov 22 2026 ocfkit developers <ocfkit@example.org> - 0.1.0-1',
      '- First package.',
    ].join('\n'),
  );
  assert.match(
    changelog(readFileSync(path.join(repoRoot, 'build/debian/changelog'), 'utf8')),
    /^\* Sun Nov 22 2026 ocfkit developers <ocfkit@example\.org> - 0\.1\.0-1\n- First package: /,
  );
  assert.throws(() => changelog('nothing here\n'), /no entries/);
  assert.throws(() => changelog('ocfkit (1-1) unstable\n\n  * x\n\n -- A <a@b>  not a date\n'), /unreadable date "not a date"/);
});

test("versionMismatches: every artifact must report package.json's version", () => {
  const cases: Array<[Array<{ name: string; version: string }>, string[]]> = [
    [
      [
        { name: 'ocfkit-0.1.0-linux-x64', version: '0.1.0' },
        { name: 'ocfkit_0.1.0-1_arm64.deb', version: '0.1.0' },
      ],
      [],
    ],
    [
      [
        { name: 'ocfkit-0.1.0-linux-x64', version: '0.1.0' },
        { name: 'ocfkit-0.1.0-1.aarch64.rpm', version: '0.0.9' },
      ],
      ['ocfkit-0.1.0-1.aarch64.rpm reports --version "0.0.9", package.json says 0.1.0'],
    ],
    [
      [{ name: 'ocfkit-0.1.0-linux-arm64', version: '(exit 1: qemu-aarch64-static: Could not open ...)' }],
      ['ocfkit-0.1.0-linux-arm64 reports --version "(exit 1: qemu-aarch64-static: Could not open ...)", package.json says 0.1.0'],
    ],
    [[], ['no artifacts were built']],
  ];
  for (const [reported, expected] of cases) assert.equal(versionMismatches(reported, '0.1.0'), expected);
});

test.run();
