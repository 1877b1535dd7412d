// A private systemd-udevd for `ocfkit udev apply`, which needs `udevadm control --reload` and
// `udevadm trigger --settle` to reach a running udevd. It runs in a mount namespace of the harness
// where /etc/udev/rules.d is a test directory, /usr/lib/udev/rules.d is empty (it processes every
// uevent of the machine while it runs, so only the rules under test may act), and /run and /dev
// are private tmpfs (its control socket, database and /dev symlinks stay in the namespace).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createMountNamespace } from '../harness/mountns';
import { stopProcess, waitFor, type RunResult } from '../harness/proc';
import { freshDir } from '../harness/tmp';

const UDEVD = ['/lib/systemd/systemd-udevd', '/usr/lib/systemd/systemd-udevd'].find((p) => existsSync(p)) ?? '/lib/systemd/systemd-udevd';

export interface PrivateUdevd {
  /** mounted over /etc/udev/rules.d in the namespace */
  rulesDir: string;
  /** runs a command in the namespace */
  run(argv: readonly string[]): Promise<RunResult>;
}

export async function withPrivateUdevd<T>(fn: (udevd: PrivateUdevd) => Promise<T>): Promise<T> {
  const dir = freshDir('udevd');
  const rulesDir = path.join(dir, 'rules.d');
  const empty = path.join(dir, 'empty');
  const dev = path.join(dir, 'dev');
  for (const d of [rulesDir, empty, dev]) mkdirSync(d);
  const ns = await createMountNamespace();
  try {
    await ns.runOk(['mount', '-t', 'tmpfs', 'tmpfs', dev]);
    for (const node of ['null', 'zero', 'random', 'urandom']) {
      await ns.runOk(['touch', path.join(dev, node)]);
      await ns.bind(`/dev/${node}`, path.join(dev, node));
    }
    await ns.bind(dev, '/dev');
    await ns.runOk(['mount', '-t', 'tmpfs', 'tmpfs', '/run']);
    await ns.bind(rulesDir, '/etc/udev/rules.d');
    await ns.bind(empty, '/usr/lib/udev/rules.d');
    const udevd = ns.spawnDaemon([UDEVD], { stdio: 'ignore' });
    try {
      await waitFor('the private systemd-udevd to answer', async () => (await ns.run(['udevadm', 'control', '--ping'])).code === 0, {
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      return await fn({ rulesDir, run: (argv) => ns.run(argv, { timeoutMs: 60_000 }) });
    } finally {
      await stopProcess(udevd, 'private systemd-udevd', 5_000);
    }
  } finally {
    await ns.stop();
  }
}
