import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, logSettingsFromEnv } from '../../../agents/core/log';

function withDir(fn: (dir: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-log-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('HA_LOGFILE gets info and up, HA_DEBUGLOG gets debug, stderr gets everything shown', () =>
  withDir((dir) => {
    const stderr: string[] = [];
    const env = { HA_LOGFILE: path.join(dir, 'ha.log'), HA_DEBUGLOG: path.join(dir, 'debug.log'), HA_debug: '1' };
    const log = createLogger(logSettingsFromEnv(env, 'VirtualMachine(vm1)', (l) => stderr.push(l)));
    log.info('starting');
    log.debug('exec: ["virsh"]');
    log.err('failed');
    assert.match(readFileSync(env.HA_LOGFILE, 'utf8'), /VirtualMachine\(vm1\): INFO: starting\n.*VirtualMachine\(vm1\): ERROR: failed\n$/);
    assert.match(readFileSync(env.HA_DEBUGLOG, 'utf8'), /VirtualMachine\(vm1\): DEBUG: exec: \["virsh"\]\n$/);
    assert.equal(stderr, ['VirtualMachine(vm1): INFO: starting', 'VirtualMachine(vm1): DEBUG: exec: ["virsh"]', 'VirtualMachine(vm1): ERROR: failed']);
  }));

test('debug lines are dropped unless HA_debug or tracing is on', () => {
  const stderr: string[] = [];
  const log = createLogger(logSettingsFromEnv({}, 'A(x)', (l) => stderr.push(l)));
  log.debug('hidden');
  log.warn('shown');
  assert.equal(stderr, ['A(x): WARNING: shown']);
});

test('OCF_TRACE_RA with OCF_TRACE_FILE writes a trace of every line', () =>
  withDir((dir) => {
    const trace = path.join(dir, 'trace');
    const log = createLogger(logSettingsFromEnv({ OCF_TRACE_RA: '1', OCF_TRACE_FILE: trace }, 'A(x)', () => undefined));
    log.debug('detail');
    log.info('summary');
    const text = readFileSync(trace, 'utf8');
    assert.match(text, /A\(x\): DEBUG: detail/);
    assert.match(text, /A\(x\): INFO: summary/);
  }));

test('an unwritable log file never fails the action', () => {
  const log = createLogger(logSettingsFromEnv({ HA_LOGFILE: '/nonexistent/dir/ha.log' }, 'A(x)', () => undefined));
  log.err('still fine');
  assert.not.ok(existsSync('/nonexistent/dir/ha.log'));
});

test('HA_LOGFACILITY=none disables syslog', () => {
  assert.is(logSettingsFromEnv({ HA_LOGFACILITY: 'none' }, 't', () => undefined).facility, undefined);
  assert.is(logSettingsFromEnv({ HA_LOGFACILITY: 'daemon' }, 't', () => undefined).facility, 'daemon');
  assert.is(logSettingsFromEnv({ LOGFACILITY: 'local5' }, 't', () => undefined).facility, 'local5');
});

test.run();
