import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { manifestPath, parseManifest, serializeManifest, type Manifest } from '../../../agents/install/manifest';

test('one manifest file per prefix, distinct for every prefix', () => {
  assert.is(manifestPath('/usr'), '/var/lib/ocfkit/installs/usr.json');
  assert.is(manifestPath('/usr/'), '/var/lib/ocfkit/installs/usr.json');
  assert.is(manifestPath('/usr/local'), '/var/lib/ocfkit/installs/usr%2Flocal.json');
  assert.is(manifestPath('/'), '/var/lib/ocfkit/installs/%2F.json');
  const prefixes = ['/', '/usr', '/usr/local', '/usr-local', '/usr%2Flocal', '/opt/a/b', '/opt/a-b', '/opt%2Fa'];
  assert.is(new Set(prefixes.map(manifestPath)).size, prefixes.length);
});

test('a manifest survives serializing and parsing', () => {
  const manifest: Manifest = {
    prefix: '/opt/ocfkit',
    files: [
      { kind: 'directory', path: '/opt/ocfkit/sbin' },
      { kind: 'file', path: '/opt/ocfkit/sbin/ocfkit', size: 12, sha256: 'f'.repeat(64) },
      { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '/opt/ocfkit/sbin/ocfkit' },
    ],
  };
  assert.equal(parseManifest(serializeManifest(manifest), 'm.json'), manifest);
});

test('ocfkit 0.1 manifests are read: symlinks by target, files without a hash', () => {
  // the format "ocfkit install" 0.1 wrote to /var/lib/ocfkit/installed-files.json
  const text = JSON.stringify({
    files: [
      { kind: 'executable', path: '/usr/local/sbin/ocfkit' },
      { kind: 'companion', path: '/usr/local/sbin/ocfkit-cli-libraries.cjs', name: 'ocfkit-cli-libraries.cjs' },
      { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '/usr/local/sbin/ocfkit' },
    ],
  });
  assert.equal(parseManifest(text, 'old.json'), {
    prefix: '/usr/local',
    files: [
      { kind: 'file', path: '/usr/local/sbin/ocfkit', size: -1, sha256: '' },
      { kind: 'file', path: '/usr/local/sbin/ocfkit-cli-libraries.cjs', size: -1, sha256: '' },
      { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '/usr/local/sbin/ocfkit' },
    ],
  });
});

test('a damaged manifest is one line naming the file and the entry', () => {
  const rows: Array<[string, RegExp]> = [
    ['{', /^m\.json is not valid JSON/],
    ['[]', /^m\.json: no "files" list/],
    ['{"version":3,"prefix":"/usr","files":[]}', /unknown version/],
    ['{"version":2,"prefix":"usr","files":[]}', /no absolute "prefix"/],
    [
      '{"version":2,"prefix":"/usr","files":[{"kind":"file","path":"/usr/sbin/ocfkit","size":1}]}',
      /files\[0\] \(\/usr\/sbin\/ocfkit\) is not a file with size and sha256/,
    ],
    ['{"version":2,"prefix":"/usr","files":[{"kind":"file","path":"/x","size":1,"sha256":"XYZ"}]}', /files\[0\]/],
    ['{"version":2,"prefix":"/usr","files":[{"kind":"symlink","path":"rel","target":"/x"}]}', /files\[0\] has no absolute "path"/],
    ['{"files":[{"kind":"weird","path":"/x"}]}', /files\[0\] \(\/x\) has an unknown kind/],
  ];
  for (const [text, expected] of rows) {
    assert.throws(
      () => parseManifest(text, 'm.json'),
      (e: Error) => expected.test(e.message) && !e.message.includes('\n'),
      text,
    );
  }
});

test.run();
