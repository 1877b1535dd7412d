import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSiteConfig, parseSiteConfig } from '../../../rules/config/site';
import { EXAMPLE, uncommentedExample } from './example';
import { ConfigError } from '../../../rules/config/errors';
import { TUNABLE_NAMES, TUNABLES } from '../../../rules/config/block-tunables';

const entry = (match: string, set: string) => `block:\n  devices:\n    - match: ${match}\n      set: ${set}\n`;

function error(text: string): string {
  try {
    parseSiteConfig(text, 'site.yaml');
  } catch (e) {
    assert.instance(e, ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('the shipped example tunes nothing until the admin lists devices', () => {
  assert.equal(loadSiteConfig(EXAMPLE).block.devices, []);
});

test('the commented examples of the shipped config, uncommented, are valid', () => {
  const config = parseSiteConfig(uncommentedExample(), 'example.yaml');
  assert.equal(
    config.block.devices.map((d) => [d.path, d.name, d.selector.kind, d.set]),
    [
      ['block.devices[0]', 'local disks', 'kernel', { read_ahead_kb: '4100' }],
      ['block.devices[1]', 'raid5 data array', 'md-name', { stripe_cache_size: '8192', read_ahead_kb: '16384' }],
      ['block.devices[2]', 'replicated guest disks', 'drbd-resource', { read_ahead_kb: '4096' }],
    ],
  );
});

test('an empty file and a file without block: give no entries', () => {
  assert.equal(parseSiteConfig('', 'x').block.devices, []);
  assert.equal(parseSiteConfig('# nothing\n', 'x').block.devices, []);
  assert.equal(parseSiteConfig('version: 1\n', 'x').block.devices, []);
  assert.equal(parseSiteConfig('block:\n  devices: []\n', 'x').block.devices, []);
});

test('sizes: KiB, units and sectors', () => {
  const set = (v: string) => parseSiteConfig(entry('{kernel: sd*}', `{read_ahead_kb: ${v}}`), 'x').block.devices[0]!.set.read_ahead_kb;
  assert.is(set('4100'), '4100');
  assert.is(set('"4100"'), '4100');
  assert.is(set('4M'), '4096');
  assert.is(set('4096K'), '4096');
  assert.is(set('8192s'), '4096');
  assert.is(set('1G'), '1048576');
  assert.is(set('0'), '0');
});

test('flags and schedulers', () => {
  const set = (s: string) => parseSiteConfig(entry('{kernel: sd*}', s), 'x').block.devices[0]!.set;
  assert.equal(set('{rotational: false, add_random: 1, scheduler: bfq}'), { rotational: '0', add_random: '1', scheduler: 'bfq' });
});

const invalid: Array<[string, string, string]> = [
  [
    'stripe cache below range',
    entry('{md: {name: data}}', '{stripe_cache_size: 16}'),
    'site.yaml:4:32: block.devices[0].set.stripe_cache_size: 16 is out of range: expected an integer 17..32768 pages per member disk',
  ],
  [
    'stripe cache above range',
    entry('{md: {name: data}}', '{stripe_cache_size: 32769}'),
    'site.yaml:4:32: block.devices[0].set.stripe_cache_size: 32769 is out of range: expected an integer 17..32768 pages per member disk',
  ],
  [
    'stripe cache on a non-md selector',
    entry('{kernel: sd*}', '{stripe_cache_size: 1024}'),
    'site.yaml:3:7: block.devices[0].set.stripe_cache_size: stripe_cache_size exists only on md RAID4/5/6 arrays and "kernel sd*" cannot name one (use match: {md: {name: ...}} or a kernel pattern starting with md)',
  ],
  [
    'unknown attribute',
    entry('{kernel: sd*}', '{readahead: 4096}'),
    'site.yaml:4:13: block.devices[0].set.readahead: unknown key "readahead" (known: scheduler, nr_requests, max_sectors_kb, rotational, add_random, stripe_cache_size, read_ahead_kb)',
  ],
  [
    'bad size unit',
    entry('{kernel: sd*}', '{read_ahead_kb: 4X}'),
    'site.yaml:4:28: block.devices[0].set.read_ahead_kb: unknown unit "X" in "4X": use K, M, G (binary: 1M = 1024 KiB) or s (512-byte sectors)',
  ],
  [
    'bad size text',
    entry('{kernel: sd*}', '{read_ahead_kb: lots}'),
    'site.yaml:4:28: block.devices[0].set.read_ahead_kb: "lots" is not a size: write KiB (4096), a size with a unit (4096K, 4M, 1G) or 512-byte sectors (8192s)',
  ],
  [
    'odd sectors',
    entry('{kernel: sd*}', '{read_ahead_kb: 4097s}'),
    'site.yaml:4:28: block.devices[0].set.read_ahead_kb: "4097s" is an odd number of 512-byte sectors, not a whole number of KiB',
  ],
  [
    'readahead too large',
    entry('{kernel: sd*}', '{read_ahead_kb: 2G}'),
    'site.yaml:4:28: block.devices[0].set.read_ahead_kb: "2G" is 2097152 KiB, out of range 0..1048576 KiB',
  ],
  ['negative readahead', entry('{kernel: sd*}', '{read_ahead_kb: -1}'), 'site.yaml:4:28: block.devices[0].set.read_ahead_kb: -1 is not a whole number of KiB'],
  [
    'unknown scheduler',
    entry('{kernel: sd*}', '{scheduler: cfq}'),
    'site.yaml:4:24: block.devices[0].set.scheduler: unknown I/O scheduler "cfq": expected one of none, mq-deadline, kyber, bfq',
  ],
  [
    'nr_requests below the kernel minimum',
    entry('{kernel: sd*}', '{nr_requests: 2}'),
    'site.yaml:4:26: block.devices[0].set.nr_requests: 2 is out of range: expected an integer 4..65536',
  ],
  [
    'max_sectors_kb below a page',
    entry('{kernel: sd*}', '{max_sectors_kb: 2}'),
    'site.yaml:4:29: block.devices[0].set.max_sectors_kb: 2 is 2 KiB, out of range 4..1048576 KiB',
  ],
  [
    'rotational not a flag',
    entry('{kernel: sd*}', '{rotational: "yes"}'),
    'site.yaml:4:25: block.devices[0].set.rotational: expected true/false (or 1/0), found "yes"',
  ],
  [
    'a number as string where an integer is needed',
    entry('{md: {name: d}}', '{stripe_cache_size: "4096"}'),
    'site.yaml:4:32: block.devices[0].set.stripe_cache_size: expected an integer 17..32768 pages per member disk, found string "4096"',
  ],
  [
    'empty set',
    entry('{kernel: sd*}', '{}'),
    'site.yaml:4:12: block.devices[0].set: set at least one tunable (scheduler, nr_requests, max_sectors_kb, rotational, add_random, stripe_cache_size, read_ahead_kb)',
  ],
  [
    'two selectors',
    entry('{kernel: sd*, dm: {name: x}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:14: block.devices[0].match: give only one of kernel, dm (found 2)',
  ],
  ['no selector', entry('{}', '{read_ahead_kb: 1}'), 'site.yaml:3:14: block.devices[0].match: give one of kernel, drbd, dm, lvm, md, multipath, serial'],
  [
    'unknown selector',
    entry('{wwn: x}', '{read_ahead_kb: 1}'),
    'site.yaml:3:15: block.devices[0].match.wwn: unknown key "wwn" (known: kernel, drbd, dm, lvm, md, multipath, serial)',
  ],
  [
    'match everything',
    entry('{kernel: "*"}', '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.kernel: "*" would match every block device: name a family such as sd* or vd*',
  ],
  [
    'match everything with ?',
    entry('{kernel: "?*"}', '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.kernel: "?*" would match every block device: name a family such as sd* or vd*',
  ],
  [
    'match everything with a class',
    entry('{kernel: ["sd*", "[a-z]*"]}', '{read_ahead_kb: 1}'),
    'site.yaml:3:31: block.devices[0].match.kernel[1]: "[a-z]*" would match every block device: name a family such as sd* or vd*',
  ],
  [
    'every dm device',
    entry('{dm: {name: "*?"}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:26: block.devices[0].match.dm.name: "*?" would match every device of its kind: a pattern needs at least one literal character',
  ],
  [
    'every DRBD resource',
    entry('{drbd: {resource: "*"}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:32: block.devices[0].match.drbd.resource: "*" would match every device of its kind: a pattern needs at least one literal character',
  ],
  [
    'an unbounded name',
    entry(`{serial: ${'s'.repeat(256)}}`, '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.serial: a disk serial as in /dev/disk/by-id (ID_SERIAL) of 256 characters is too long (at most 255)',
  ],
  [
    'an unbounded label',
    `block:\n  devices:\n    - name: ${'x'.repeat(121)}\n      match: {kernel: sd*}\n      set: {read_ahead_kb: 1}\n`,
    'site.yaml:3:13: block.devices[0].name: a label of 121 characters is too long (at most 120)',
  ],
  [
    'a top-level key named like an Object.prototype member',
    'constructor: 1\n',
    'site.yaml:1:1: constructor: unknown key "constructor" (known: version, block)',
  ],
  ['__proto__ as a key', 'block:\n  __proto__: []\n', 'site.yaml:2:3: block.__proto__: unknown key "__proto__" (known: devices)'],
  [
    'toString as a tunable',
    entry('{kernel: sd*}', '{toString: 1}'),
    'site.yaml:4:13: block.devices[0].set.toString: unknown key "toString" (known: scheduler, nr_requests, max_sectors_kb, rotational, add_random, stripe_cache_size, read_ahead_kb)',
  ],
  [
    'hasOwnProperty as a selector',
    entry('{hasOwnProperty: x}', '{read_ahead_kb: 1}'),
    'site.yaml:3:15: block.devices[0].match.hasOwnProperty: unknown key "hasOwnProperty" (known: kernel, drbd, dm, lvm, md, multipath, serial)',
  ],
  [
    'lvm without lv',
    entry('{lvm: {vg: vg0}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:20: block.devices[0].match.lvm: "lv" is required (an LVM logical volume name)',
  ],
  [
    'bad md uuid',
    entry('{md: {uuid: 1234}}', '{stripe_cache_size: 100}'),
    'site.yaml:3:26: block.devices[0].match.md.uuid: expected an md UUID as mdadm prints it (xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx), found number 1234',
  ],
  [
    'malformed md uuid',
    entry('{md: {uuid: "3aaa0122-29827cfa"}}', '{stripe_cache_size: 100}'),
    'site.yaml:3:26: block.devices[0].match.md.uuid: "3aaa0122-29827cfa" is not an md UUID as mdadm --detail prints it (xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx)',
  ],
  [
    'drbd resource and minor',
    entry('{drbd: {resource: r0, minor: 0}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:21: block.devices[0].match.drbd: give only one of resource, minor (found 2)',
  ],
  ['unknown top-level section', 'block: {devices: []}\nnetwork:\n  hooks: []\n', 'site.yaml:2:1: network: unknown key "network" (known: version, block)'],
  ['unknown block key', 'block:\n  device: []\n', 'site.yaml:2:3: block.device: unknown key "device" (known: devices)'],
  ['unsupported version', 'version: 2\n', 'site.yaml:1:10: version: 2 is out of range: expected an integer 1..1'],
  ['devices not a list', 'block:\n  devices: {kernel: sd*}\n', 'site.yaml:2:12: block.devices: expected a list, found a mapping'],
  [
    'YAML syntax error',
    'block:\n  devices:\n    - match: {kernel: sd*\n',
    'site.yaml:4:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
  ],
  ['duplicate key', 'block:\n  devices: []\n  devices: []\n', 'site.yaml:3:3: invalid YAML: Map keys must be unique'],
  ['alias', 'x: &a 1\n', 'site.yaml:1:1: x: unknown key "x" (known: version, block)'],
  [
    'alias in a value',
    `block:\n  devices:\n    - match: {kernel: &k sd*}\n      set: {read_ahead_kb: 1}\n    - match: {kernel: *k}\n      set: {read_ahead_kb: 2}\n`,
    'site.yaml:5:23: block.devices[1].match.kernel: YAML aliases are not supported here; write the value out',
  ],
  // hostile strings: every one refused where it stands, with the character and why
  [
    'double quote',
    entry(`{dm: {name: 'a"b'}}`, '{read_ahead_kb: 1}'),
    'site.yaml:3:26: block.devices[0].match.dm.name: "\\"" at character 2 of "a\\"b" is not allowed in a device-mapper name: quotes would end the udev string early',
  ],
  [
    'single quote',
    entry(`{dm: {name: "a'b"}}`, '{read_ahead_kb: 1}'),
    'site.yaml:3:26: block.devices[0].match.dm.name: "\'" at character 2 of "a\'b" is not allowed in a device-mapper name: quotes would end the udev string early',
  ],
  [
    'newline',
    entry('{kernel: "sd*\\nRUN+=\\"/bin/sh\\""}', '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.kernel: "\\n" at character 4 of "sd*\\nRUN+=\\"/bin/sh\\"" is not allowed in a kernel name pattern: a line break would end the udev rule in the middle',
  ],
  [
    'command substitution',
    entry(`{serial: '$(reboot)'}`, '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.serial: "$" at character 1 of "$(reboot)" is not allowed in a disk serial as in /dev/disk/by-id (ID_SERIAL): udev expands "$" substitutions ($kernel, $env{...}); "$(...)" is not allowed',
  ],
  [
    'percent substitution',
    entry('{lvm: {vg: vg0, lv: "%k"}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:34: block.devices[0].match.lvm.lv: "%" at character 1 of "%k" is not allowed in an LVM logical volume name: udev expands "%" substitutions (%k, %n, ...)',
  ],
  [
    'braces',
    entry('{md: {name: "x{y}"}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:26: block.devices[0].match.md.name: "{" at character 2 of "x{y}" is not allowed in an md array name (/dev/md/NAME): braces belong to udev substitutions',
  ],
  [
    'pipe',
    entry('{kernel: "sd*|*"}', '{read_ahead_kb: 1}'),
    'site.yaml:3:23: block.devices[0].match.kernel: "|" at character 4 of "sd*|*" is not allowed in a kernel name pattern: "|" separates udev alternatives; give a list instead',
  ],
  [
    'comma',
    entry('{multipath: {alias: "a,b"}}', '{read_ahead_kb: 1}'),
    'site.yaml:3:34: block.devices[0].match.multipath.alias: "," at character 2 of "a,b" is not allowed in a multipath alias: a comma would separate udev keys',
  ],
  [
    'hostile label',
    'block:\n  devices:\n    - name: "x\\nKERNEL==\\"*\\""\n      match: {kernel: sd*}\n      set: {read_ahead_kb: 1}\n',
    'site.yaml:3:13: block.devices[0].name: "\\n" at character 2 of "x\\nKERNEL==\\"*\\"" is not allowed in a label: a line break would end the udev rule in the middle',
  ],
];

for (const [name, text, message] of invalid) {
  test(`refused: ${name}`, () => {
    assert.is(error(text), message);
  });
}

test('a missing config file is named', () => {
  assert.throws(
    () => loadSiteConfig('/nonexistent/ocfkit.yaml'),
    (e: Error) => e.message === '/nonexistent/ocfkit.yaml: no such file (write one from the documented example, ocfkit.example.yaml)',
  );
});

test('every tunable has a place in the write order, once', () => {
  assert.equal([...TUNABLE_NAMES].sort(), Object.keys(TUNABLES).sort());
});

test.run();
