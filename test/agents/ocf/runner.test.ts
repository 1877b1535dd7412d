import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError, GenericError, NotInstalledError } from '../../../agents/core/errors';
import { OcfExit } from '../../../agents/core/exit-codes';
import { runAgent } from '../../../agents/ocf/runner';
import { defineAgent, type ProvenState } from '../../../agents/ocf/spec';
import { fakeExecutor } from '../../support/fake-executor';

interface Knobs {
  validateError?: Error;
  proven?: ProvenState;
  startError?: unknown;
  monitorCode?: OcfExit;
  stopError?: unknown;
  slow?: boolean;
  /** start takes this long, then succeeds */
  startMs?: number;
  /** stateWhenBroken never answers */
  proofHangs?: boolean;
}

function agent(knobs: Knobs) {
  return defineAgent({
    name: 'Probe',
    version: '1.0',
    shortdesc: 'test',
    longdesc: 'test agent',
    parameters: {
      target: { type: 'string', required: true, shortdesc: 't', longdesc: 'target' },
      level: { type: 'integer', default: 1, shortdesc: 'l', longdesc: 'level' },
    },
    actions: {
      start: {
        timeout: 20,
        handler: async ({ deadline }) => {
          if (knobs.slow) await new Promise((resolve) => setTimeout(resolve, 60_000));
          if (knobs.startMs) await new Promise((resolve) => setTimeout(resolve, knobs.startMs));
          if (knobs.startError) throw knobs.startError;
          deadline.check('start');
        },
      },
      stop: {
        timeout: 20,
        handler: async () => {
          if (knobs.stopError) throw knobs.stopError;
          return OcfExit.SUCCESS;
        },
      },
      monitor: { timeout: 20, interval: 10, handler: async () => knobs.monitorCode ?? OcfExit.SUCCESS },
    },
    validate: async () => {
      if (knobs.validateError) throw knobs.validateError;
    },
    stateWhenBroken: knobs.proofHangs ? () => new Promise<ProvenState>(() => undefined) : knobs.proven === undefined ? undefined : async () => knobs.proven!,
  });
}

async function run(knobs: Knobs, args: string[], env: NodeJS.ProcessEnv = { OCF_RESKEY_target: 'x' }) {
  let stdout = '';
  let stderr = '';
  const result = await runAgent(agent(knobs), args, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    executor: () => fakeExecutor([]),
  });
  const reasons = stderr.split('\n').filter((l) => l.startsWith('ocf-exit-reason:'));
  return { code: result.code, stdout, stderr, reasons };
}

const lifecycle = suite('runner: dispatch');

lifecycle('meta-data prints XML and succeeds without parameters', async () => {
  const r = await run({}, ['meta-data'], {});
  assert.is(r.code, OcfExit.SUCCESS);
  assert.match(r.stdout, /<resource-agent name="Probe"/);
});

lifecycle('no action: usage and ERR_ARGS', async () => {
  const r = await run({}, []);
  assert.is(r.code, OcfExit.ERR_ARGS);
  assert.match(r.stderr, /usage: Probe \{start\|stop\|monitor\|validate-all\|meta-data\}/);
});

lifecycle('unknown action: usage and ERR_UNIMPLEMENTED', async () => {
  const r = await run({}, ['promote']);
  assert.is(r.code, OcfExit.ERR_UNIMPLEMENTED);
  assert.match(r.stderr, /usage:/);
});

lifecycle('action names that are Object.prototype members are unimplemented like any unknown name', async () => {
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    const r = await run({}, [name]);
    assert.is(r.code, OcfExit.ERR_UNIMPLEMENTED, name);
    assert.equal(r.reasons, [`ocf-exit-reason:action ${name} is not implemented by Probe`]);
  }
});

lifecycle('one exit reason line for a typed error', async () => {
  const r = await run({ startError: new GenericError('disk\nmissing') }, ['start']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.equal(r.reasons, ['ocf-exit-reason:disk; missing']);
});

lifecycle('an unexpected exception is ERR_GENERIC with a readable reason, no stack trace in the reason', async () => {
  const r = await run({ startError: new TypeError("Cannot read properties of undefined (reading 'x')") }, ['start']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.equal(r.reasons, ["ocf-exit-reason:Cannot read properties of undefined (reading 'x')"]);
});

lifecycle('an unexpected exception prints no stack trace anywhere', async () => {
  const r = await run({ startError: new TypeError('x is not a function') }, ['start']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.not.match(r.stderr, /^\s+at /m);
});

lifecycle('a CRM_meta_timeout longer than a timer can hold does not fire at once', async () => {
  for (const timeout of [String(2 ** 31 + 1000), '9'.repeat(400)]) {
    const r = await run({ startMs: 30 }, ['start'], { OCF_RESKEY_target: 'x', OCF_RESKEY_CRM_meta_timeout: timeout });
    assert.is(r.code, OcfExit.SUCCESS, `${timeout.slice(0, 12)}: ${r.stderr}`);
  }
});

lifecycle('OCF_EXIT_REASON_PREFIX is honoured', async () => {
  const r = await run({ startError: new GenericError('boom') }, ['start'], { OCF_RESKEY_target: 'x', OCF_EXIT_REASON_PREFIX: 'why:' });
  assert.match(r.stderr, /^why:boom$/m);
});

lifecycle('degraded is passed through', async () => {
  const r = await run({ monitorCode: OcfExit.DEGRADED }, ['monitor'], { OCF_RESKEY_target: 'x', OCF_RESKEY_CRM_meta_interval: '10000' });
  assert.is(r.code, 190);
});

lifecycle('validate-all runs parameter and environment checks', async () => {
  assert.is((await run({}, ['validate-all'])).code, OcfExit.SUCCESS);
  const bad = await run({}, ['validate-all'], { OCF_RESKEY_target: 'x', OCF_RESKEY_level: 'high' });
  assert.is(bad.code, OcfExit.ERR_CONFIGURED);
  assert.equal(bad.reasons, ['ocf-exit-reason:parameter level="high" is not an integer']);
});

lifecycle('the deadline ends a hanging action with a reason before Pacemaker kills it', async () => {
  // without the deadline the handler would finish after a minute with success: code and reason fail
  const r = await run({ slow: true }, ['start'], { OCF_RESKEY_target: 'x', OCF_RESKEY_CRM_meta_timeout: '1500' });
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.match(r.reasons[0] ?? '', /start did not finish within its 2 s timeout/);
});

lifecycle.run();

const mapping = suite('runner: failure mapping for a broken environment');
const probeEnv = { OCF_RESKEY_target: 'x' }; // no CRM_meta_interval: a probe
const recurringEnv = { OCF_RESKEY_target: 'x', OCF_RESKEY_CRM_meta_interval: '10000' };

mapping('start with bad parameters: ERR_CONFIGURED naming the parameter', async () => {
  const r = await run({}, ['start'], {});
  assert.is(r.code, OcfExit.ERR_CONFIGURED);
  assert.equal(r.reasons, ['ocf-exit-reason:required parameter target is not set']);
});

mapping('start with a missing binary: ERR_INSTALLED', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found') }, ['start']);
  assert.is(r.code, OcfExit.ERR_INSTALLED);
});

mapping('stop with a broken environment succeeds when provably stopped', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found'), proven: 'stopped' }, ['stop']);
  assert.is(r.code, OcfExit.SUCCESS);
  assert.equal(r.reasons, []);
});

mapping('stop with a broken environment fails when it may still run', async () => {
  for (const proven of ['running', 'unknown'] as const) {
    const r = await run({ validateError: new ConfigurationError('config unreadable', 'config'), proven }, ['stop']);
    assert.is(r.code, OcfExit.ERR_CONFIGURED, proven);
    assert.match(r.reasons[0] ?? '', /may still be running here/);
  }
});

mapping('stop without a way to prove anything keeps the error', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found') }, ['stop']);
  assert.is(r.code, OcfExit.ERR_INSTALLED);
});

mapping('a probe reports the truth: running', async () => {
  const r = await run({ validateError: new ConfigurationError('config unreadable', 'config'), proven: 'running' }, ['monitor'], probeEnv);
  assert.is(r.code, OcfExit.SUCCESS);
});

mapping('a probe reports the truth: stopped', async () => {
  const r = await run({ validateError: new ConfigurationError('config unreadable', 'config'), proven: 'stopped' }, ['monitor'], probeEnv);
  assert.is(r.code, OcfExit.NOT_RUNNING);
});

mapping('a probe that cannot tell keeps the error (never a false "not running")', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found'), proven: 'unknown' }, ['monitor'], probeEnv);
  assert.is(r.code, OcfExit.ERR_INSTALLED);
});

mapping('a probe of an agent with no way to tell: NOT_RUNNING', async () => {
  const r = await run({ validateError: new NotInstalledError('tool not found') }, ['monitor'], probeEnv);
  assert.is(r.code, OcfExit.NOT_RUNNING);
});

mapping('a proof of the state that hangs ends at the deadline with a reason', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found'), proofHangs: true }, ['stop'], {
    OCF_RESKEY_target: 'x',
    OCF_RESKEY_CRM_meta_timeout: '1500',
  });
  assert.is(r.code, OcfExit.ERR_INSTALLED);
  assert.equal(r.reasons, ['ocf-exit-reason:virsh not found (and it may still be running here)']);
  assert.match(r.stderr, /could not establish the state after "virsh not found": stop \(establishing the state\) did not finish within its 2 s timeout/);
});

mapping('a recurring monitor with a broken environment fails with the error code', async () => {
  const r = await run({ validateError: new NotInstalledError('virsh not found'), proven: 'stopped' }, ['monitor'], recurringEnv);
  assert.is(r.code, OcfExit.ERR_INSTALLED);
});

mapping.run();

const files = suite('runner: file-system errors');
const fsError = (code: string, message: string) => Object.assign(new Error(message), { code, errno: -20, syscall: 'open' });
const notDir = () => fsError('ENOTDIR', "ENOTDIR: not a directory, open '/var/lib/ocfkit/x/state.json.tmp'");

files('a failed state write is a typed one-line error: ERR_GENERIC, ERR_PERM for EACCES', async () => {
  let r = await run({ startError: notDir() }, ['start']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.equal(r.reasons, ["ocf-exit-reason:ENOTDIR: not a directory, open '/var/lib/ocfkit/x/state.json.tmp'"]);
  r = await run({ startError: fsError('EACCES', "EACCES: permission denied, open '/var/lib/ocfkit/x'") }, ['start']);
  assert.is(r.code, OcfExit.ERR_PERM);
  const long = `/var/lib/ocfkit/${'x'.repeat(5000)}`;
  r = await run({ startError: fsError('ENAMETOOLONG', `ENAMETOOLONG: name too long, open '${long}'`) }, ['start']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.ok(r.reasons.length === 1 && r.reasons[0]!.length < 700, 'a bounded line');
  assert.match(r.reasons[0]!, /^ocf-exit-reason:ENAMETOOLONG: name too long, open '\/var\/lib\/ocfkit\/x+\.\.\. \(\d+ characters\)$/);
});

files('stop falls back to proving the state when a state file cannot be written', async () => {
  let r = await run({ stopError: notDir(), proven: 'stopped' }, ['stop']);
  assert.is(r.code, OcfExit.SUCCESS, r.stderr);
  assert.match(r.stderr, /stop: ENOTDIR: not a directory.*; the resource is provably not running here, so stop succeeds/);
  r = await run({ stopError: notDir(), proven: 'unknown' }, ['stop']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
  assert.match(r.reasons[0] ?? '', /ENOTDIR.*\(and it may still be running here\)$/);
  // a typed failure of stop itself is not second-guessed
  r = await run({ stopError: new GenericError('virsh destroy failed'), proven: 'stopped' }, ['stop']);
  assert.is(r.code, OcfExit.ERR_GENERIC);
});

files.run();

const configure = suite('runner: configure');

function configuredAgent(seen: { configured: number; validate?: unknown; start?: unknown }, proven?: ProvenState) {
  return defineAgent({
    name: 'Configured',
    version: '1.0',
    shortdesc: 'test',
    longdesc: 'test agent with a configure step',
    parameters: { level: { type: 'integer', default: 1, shortdesc: 'l', longdesc: 'level' } },
    configure: (params) => {
      seen.configured += 1;
      if (params.level > 5) throw new ConfigurationError(`parameter level=${params.level} is above 5`, 'level');
      return { doubled: params.level * 2 };
    },
    actions: {
      start: { timeout: 20, handler: async ({ config }) => void (seen.start = config) },
      stop: { timeout: 20, handler: async () => OcfExit.SUCCESS },
      monitor: { timeout: 20, handler: async () => OcfExit.SUCCESS },
    },
    validate: async ({ config }) => void (seen.validate = config),
    ...(proven ? { stateWhenBroken: async () => proven } : {}),
  });
}

async function runConfigured(seen: { configured: number }, args: string[], env: NodeJS.ProcessEnv, proven?: ProvenState) {
  let stderr = '';
  const result = await runAgent(configuredAgent(seen, proven), args, {
    env,
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    executor: () => fakeExecutor([]),
  });
  return { code: result.code, reasons: stderr.split('\n').filter((l) => l.startsWith('ocf-exit-reason:')) };
}

configure('configure runs once; validate and the handler get the same ctx.config', async () => {
  const seen: { configured: number; validate?: unknown; start?: unknown } = { configured: 0 };
  const r = await runConfigured(seen, ['start'], { OCF_RESKEY_level: '3' });
  assert.is(r.code, OcfExit.SUCCESS);
  assert.is(seen.configured, 1);
  assert.equal(seen.start, { doubled: 6 });
  assert.is(seen.validate, seen.start);
});

configure('a ConfigurationError from configure goes through the broken-environment mapping', async () => {
  const start = await runConfigured({ configured: 0 }, ['start'], { OCF_RESKEY_level: '9' });
  assert.is(start.code, OcfExit.ERR_CONFIGURED);
  assert.equal(start.reasons, ['ocf-exit-reason:parameter level=9 is above 5']);
  // stop of a provably stopped resource succeeds despite the broken configuration
  const stop = await runConfigured({ configured: 0 }, ['stop'], { OCF_RESKEY_level: '9' }, 'stopped');
  assert.is(stop.code, OcfExit.SUCCESS);
});

configure.run();
