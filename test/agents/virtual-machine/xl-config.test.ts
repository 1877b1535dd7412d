import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseXlConfig, xlDisks, xlGuestFacts, XlSyntaxError } from '../../../agents/virtual-machine/xl-config';
import { formatFinding, lintXlConfig } from '../../../agents/virtual-machine/xl-lint';

const cfg = `# a Xen guest
name = "web"
uuid = "8f1c0e52-4b6a-4d2e-9a51-0c7f2d7b1a12"
type = 'hvm'
memory = 2048
vcpus = 2
cpus = [ "^0,^1" ]
disk = [ 'phy:/dev/drbd0,xvda,w',
         'format=raw, vdev=xvdb, access=rw, target=/dev/drbd/by-res/data/0' ]  # two disks
on_crash = "restart"
`;

test('xl cfg: values, lists across lines, comments, line numbers', () => {
  const settings = parseXlConfig(cfg);
  assert.equal(
    settings.map((s) => [s.key, s.line, s.form]),
    [
      ['name', 2, 'string'],
      ['uuid', 3, 'string'],
      ['type', 4, 'string'],
      ['memory', 5, 'number'],
      ['vcpus', 6, 'number'],
      ['cpus', 7, 'list'],
      ['disk', 8, 'list'],
      ['on_crash', 10, 'string'],
    ],
  );
  assert.equal(xlDisks(settings), ['/dev/drbd0', '/dev/drbd/by-res/data/0']);
  const facts = xlGuestFacts(settings);
  assert.is(facts.name, 'web');
  assert.is(facts.memoryKiB, 2048 * 1024);
  assert.is(facts.vcpus, 2);
});

test('xl cfg: syntax errors name the line', () => {
  try {
    parseXlConfig('name = "a"\nmemory = \n');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, XlSyntaxError);
    assert.is((error as XlSyntaxError).line, 2);
  }
  assert.throws(() => parseXlConfig('disk = [ "a",\n'), /unterminated list/);
  assert.throws(() => parseXlConfig('name "a"'), /expected "="/);
});

test('lint: the Xen 4.6 cpus list-form regression, with the string-form fix', () => {
  const findings = lintXlConfig(parseXlConfig(cfg), { hostCpus: 8 });
  const cpus = findings.find((f) => f.setting === 'cpus');
  assert.ok(cpus);
  assert.is(cpus!.severity, 'error');
  assert.is(cpus!.line, 7);
  assert.is(cpus!.fix, 'write it as one string: cpus = "^0,^1,2-7"');
  assert.match(formatFinding('/etc/xen/web.cfg', cpus!), /^\/etc\/xen\/web\.cfg:7: cpus: .*Xen 4\.6.*fix: write it as one string/);
});

test('lint: the string form and lists without exclusions are fine', () => {
  assert.equal(lintXlConfig(parseXlConfig('name = "a"\ncpus = "^0,^1,2-7"\n'), { hostCpus: 8 }), []);
  assert.equal(lintXlConfig(parseXlConfig('name = "a"\ncpus = [ "2", "3" ]\n'), { hostCpus: 8 }), []);
  const positive = lintXlConfig(parseXlConfig('name = "a"\ncpus = [ "2-7", "^3" ]\n'), { hostCpus: 8 });
  assert.is(positive[0]!.fix, 'write it as one string: cpus = "2-7,^3"');
  // the string form with exclusions only: xl 4.17 refused it in the Xen lab ("vcpu hard affinity map is empty")
  const onlyExcluded = lintXlConfig(parseXlConfig('name = "a"\ncpus = "^0,^1"\n'), { hostCpus: 8 });
  assert.equal(
    onlyExcluded.map((f) => [f.severity, f.setting, f.fix]),
    [['error', 'cpus', 'name the CPUs it may use as well: cpus = "^0,^1,2-7"']],
  );
  assert.match(onlyExcluded[0]!.message, /vcpu hard affinity map is empty/);
  const small = lintXlConfig(parseXlConfig('name = "a"\ncpus = [ "^0,^1" ]\n'), { hostCpus: 2 });
  assert.is(small[0]!.fix, 'write it as one string: cpus = "^0,^1,2-<last CPU>"');
});

test('lint: on_crash restart is a warning, a missing name an error', () => {
  const findings = lintXlConfig(parseXlConfig('on_crash = "restart"\n'), { hostCpus: 4 });
  assert.equal(
    findings.map((f) => [f.setting, f.severity]),
    [
      ['on_crash', 'warning'],
      ['name', 'error'],
    ],
  );
});

test.run();
