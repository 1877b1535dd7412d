import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OcfExit } from '../../../agents/core/exit-codes';
import { holdsDisks, monitorOutcome, parseVirshState, parseXlStateFlags, type DomainState } from '../../../agents/virtual-machine/state';

const test = suite('virtual-machine state');

const fixture = (name: string) => readFileSync(`test/fixtures/virtual-machine/${name}`, 'utf8');

test('virsh domstate --reason, captured output', () => {
  assert.equal(parseVirshState(fixture('domstate-running.txt')), { state: 'running', reason: 'booted' });
  assert.equal(parseVirshState(fixture('domstate-paused.txt')), { state: 'paused', reason: 'user' });
});

test('every libvirt state word', () => {
  const table: Array<[string, DomainState]> = [
    ['running', 'running'],
    ['idle', 'blocked'],
    ['blocked', 'blocked'],
    ['paused (migration)', 'paused'],
    ['in shutdown', 'in-shutdown'],
    ['shut off (destroyed)', 'shutoff'],
    ['crashed (panicked)', 'crashed'],
    ['pmsuspended (unknown)', 'pmsuspended'],
    ['no state', 'unknown'],
    ['something new', 'unknown'],
    ['', 'unknown'],
  ];
  for (const [text, state] of table) assert.is(parseVirshState(text + '\n\n').state, state, text);
});

test('xl state flags, most severe wins', () => {
  const table: Array<[string, DomainState]> = [
    ['r-----', 'running'],
    ['-b----', 'blocked'],
    ['------', 'blocked'],
    ['--p---', 'paused'],
    ['---s--', 'halted'],
    ['----c-', 'crashed'],
    ['-----d', 'dying'],
    ['-b-s--', 'halted'],
    ['r---c-', 'crashed'],
    ['xx', 'unknown'],
    ['rb?---', 'unknown'],
  ];
  for (const [flags, state] of table) assert.is(parseXlStateFlags(flags), state, flags);
});

test('monitor outcome for every state: no state is left undecided', () => {
  const table: Array<[DomainState, OcfExit]> = [
    ['running', OcfExit.SUCCESS],
    ['blocked', OcfExit.SUCCESS],
    ['paused', OcfExit.DEGRADED],
    ['pmsuspended', OcfExit.DEGRADED],
    ['in-shutdown', OcfExit.DEGRADED],
    ['halted', OcfExit.ERR_GENERIC],
    ['shutoff', OcfExit.NOT_RUNNING],
    ['absent', OcfExit.NOT_RUNNING],
    ['crashed', OcfExit.ERR_GENERIC],
    ['dying', OcfExit.ERR_GENERIC],
    ['unknown', OcfExit.ERR_GENERIC],
  ];
  for (const [state, code] of table) assert.is(monitorOutcome(state).code, code, state);
  assert.match(monitorOutcome('crashed', 'panicked').reason ?? '', /crashed \(panicked\)/);
});

test('only shutoff and absent release the disks', () => {
  const all: DomainState[] = ['running', 'blocked', 'paused', 'in-shutdown', 'halted', 'shutoff', 'crashed', 'pmsuspended', 'dying', 'absent', 'unknown'];
  assert.equal(
    all.filter((s) => !holdsDisks(s)),
    ['shutoff', 'absent'],
  );
});

test.run();
