// One of the two racing nodes of lease-race.test.ts: runs the agent's start for every round on the
// round's lease directory, after meeting the other node at a barrier so both starts begin together.
// The hypervisor and the peers are faked; the lease goes through the real file system.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import { runAgent } from '../../../agents/ocf/runner';
import { virtualMachineAgent } from '../../../agents/virtual-machine/spec';
import { fakeExecutor } from '../../support/fake-executor';

export interface RaceWorkerData {
  node: string;
  index: number;
  base: string;
  config: string;
  rounds: number;
  /** the peer check answers after 0..peerDelayMs ms; undefined: no peers are asked */
  peerDelayMs: number | undefined;
  /** Int32Array over it: [0, rounds) barrier counters, then the results of node 0 and node 1 */
  shared: SharedArrayBuffer;
}

async function main(data: RaceWorkerData): Promise<void> {
  const cells = new Int32Array(data.shared);
  const binDir = path.join(data.base, `bin-${data.node}`);
  mkdirSync(binDir, { recursive: true });
  writeFileSync(path.join(binDir, 'virsh'), '#!/bin/sh\nexit 99\n');
  chmodSync(path.join(binDir, 'virsh'), 0o755);
  process.env.PATH = `${binDir}:${process.env.PATH}`; // a worker's env is its own copy
  for (let round = 0; round < data.rounds; round++) {
    let created = false;
    const exec = fakeExecutor([
      { match: ['virsh', '-c', 'qemu:///system', 'create'], answer: () => ((created = true), {}) },
      {
        match: ['virsh', '-c', 'qemu:///system', 'domstate'],
        answer: () => (created ? { stdout: 'running\n' } : { exitCode: 1, stderr: "error: failed to get domain 'vm1'\n" }),
      },
      {
        match: (argv) => argv[0] === 'virsh' && argv[3] === 'list',
        answer: async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * (data.peerDelayMs ?? 0)));
          return { stdout: '\n' };
        },
      },
    ]);
    // both nodes start the round together
    if (Atomics.add(cells, round, 1) + 1 === 2) Atomics.notify(cells, round);
    else Atomics.wait(cells, round, 1, 10_000);
    const result = await runAgent(virtualMachineAgent, ['start'], {
      env: {
        OCF_ROOT: '/usr/lib/ocf',
        OCF_RESOURCE_INSTANCE: 'vm1',
        OCF_RESKEY_config: data.config,
        OCF_RESKEY_state_dir: path.join(data.base, `state-${data.node}`),
        OCF_RESKEY_CRM_meta_on_node: data.node,
        OCF_RESKEY_lease_dir: path.join(data.base, String(round)),
        OCF_RESKEY_check_storage: 'false',
        OCF_RESKEY_peers: data.peerDelayMs === undefined ? 'none' : 'node3',
        HA_debug: '0',
      },
      stdout: () => undefined,
      stderr: () => undefined,
      executor: () => exec,
    });
    cells[data.rounds * (1 + data.index) + round] = result.code === 0 ? 1 : 2;
  }
}

void main(workerData as RaceWorkerData);
