// One qemu TCG guest: Debian's kernel, the lab initramfs, the serial console (ttyS0) captured to
// a log file, the management channel on ttyS1 (a unix socket), the replication NIC (a qemu socket
// netdev), virtual disks, and the host's dist/ shared read-only over 9p.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { GuestImage } from './image';
import { sleep } from './proc';

export interface GuestSpec {
  name: string;
  address: string;
  hosts: string;
  mac: string;
  /** the replication link (eth0): "listen=127.0.0.1:PORT" or "connect=127.0.0.1:PORT" */
  link: string;
  /** the cluster link (eth1, Corosync), same form */
  clusterLink: string;
  clusterAddress: string;
  clusterMac: string;
  disks: string[];
  distDir: string;
  workDir: string;
  memoryMiB: number;
  /** another way to boot than Debian's kernel directly (the Xen mode: the hypervisor first) */
  boot?: GuestBoot;
}

/** Given the lab's kernel command line, the qemu boot arguments to use instead of the default ones. */
export type GuestBoot = (append: string) => { kernel: string; initrd: string; append: string; cpus: number; qemuArgs: string[] };

export interface CommandResult {
  code: number;
  output: string;
}

export class Guest {
  readonly name: string;
  readonly consoleLog: string;
  private process?: ChildProcess;
  private socket?: net.Socket;
  private console = '';
  private buffer = '';
  private nextId = 1;
  private waiting = new Map<number, (result: CommandResult) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private exited?: string;
  /** where the current boot's console output starts (a guest may be started again after it died) */
  private bootFrom = 0;

  constructor(
    private readonly spec: GuestSpec,
    private readonly image: GuestImage,
  ) {
    this.name = spec.name;
    this.consoleLog = path.join(spec.workDir, `${spec.name}.console.log`);
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The host's view: this guest's qemu process is alive. */
  get alive(): boolean {
    return this.process !== undefined && this.exited === undefined;
  }

  /** A power cut: the qemu process is killed, the guest gets no chance to react. */
  powerCut(): void {
    this.process?.kill('SIGKILL');
  }

  start(): void {
    const { spec } = this;
    this.exited = undefined;
    this.bootFrom = this.console.length;
    const mgmt = path.join(spec.workDir, `${spec.name}.mgmt`);
    const append = [
      'console=ttyS0',
      'loglevel=7',
      'net.ifnames=0',
      'panic=-1',
      'rdinit=/init',
      `lab.node=${spec.name}`,
      `lab.addr=${spec.address}`,
      `lab.caddr=${spec.clusterAddress}`,
      `lab.hosts=${spec.hosts}`,
    ].join(' ');
    const boot = spec.boot?.(append) ?? { kernel: this.image.kernel, initrd: this.image.initrd, append, cpus: 1, qemuArgs: [] };
    const args = [
      '-accel',
      'tcg',
      '-m',
      String(spec.memoryMiB),
      '-smp',
      String(boot.cpus),
      '-nodefaults',
      '-display',
      'none',
      '-no-reboot',
      ...boot.qemuArgs,
      '-kernel',
      boot.kernel,
      '-initrd',
      boot.initrd,
      '-append',
      boot.append,
      '-chardev',
      'stdio,id=con,signal=off',
      '-serial',
      'chardev:con',
      '-chardev',
      `socket,id=mgmt,path=${mgmt},server=on,wait=off`,
      '-serial',
      'chardev:mgmt',
      '-netdev',
      `socket,id=rep,${spec.link}`,
      '-device',
      `virtio-net-pci,netdev=rep,mac=${spec.mac}`,
      '-netdev',
      `socket,id=cluster,${spec.clusterLink}`,
      '-device',
      `virtio-net-pci,netdev=cluster,mac=${spec.clusterMac}`,
      '-fsdev',
      `local,id=dist,path=${spec.distDir},security_model=none,readonly=on`,
      '-device',
      'virtio-9p-pci,fsdev=dist,mount_tag=dist',
    ];
    spec.disks.forEach((disk, index) => {
      args.push('-drive', `file=${disk},format=raw,if=none,id=d${index},cache=unsafe`, '-device', `virtio-blk-pci,drive=d${index},serial=lab${index}`);
    });
    const child = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process = child;
    const onOutput = (chunk: Buffer): void => {
      const text = chunk.toString();
      this.console += text;
      appendFileSync(this.consoleLog, text);
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.on('exit', (code, signal) => {
      if (this.process !== child) return;
      this.exited = `qemu exited (${signal ?? code})`;
      for (const resolve of this.waiting.values()) resolve({ code: -1, output: this.exited });
      this.waiting.clear();
    });
  }

  /** Waits for the guest's init to report ready, then connects the management channel. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.console.includes(`LAB-READY ${this.name}`, this.bootFrom)) {
      if (this.exited) throw new Error(`${this.name}: ${this.exited}; console: ${this.consoleLog}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: not ready after ${timeoutMs / 1000} s; console: ${this.consoleLog}`);
      await sleep(200);
    }
    const socketPath = path.join(this.spec.workDir, `${this.spec.name}.mgmt`);
    if (!existsSync(socketPath)) throw new Error(`${this.name}: no management socket ${socketPath}`);
    this.socket?.destroy();
    this.buffer = '';
    this.socket = net.connect(socketPath);
    await new Promise<void>((resolve, reject) => this.socket!.once('connect', resolve).once('error', reject));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
  }

  private onData(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const match = /@@LAB (\d+) (\d+) ?(\S*)/.exec(line);
      if (!match) continue;
      const resolve = this.waiting.get(Number(match[1]));
      this.waiting.delete(Number(match[1]));
      resolve?.({ code: Number(match[2]), output: Buffer.from(match[3] ?? '', 'base64').toString('utf8') });
    }
  }

  /** Runs a bash script in the guest (one at a time); resolves with its exit code and output. */
  sh(script: string, timeoutMs = 60_000): Promise<CommandResult> {
    const job = this.queue.then(() => this.send(script, timeoutMs));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Like sh() but rejects when the script fails. */
  async ok(script: string, timeoutMs = 60_000): Promise<string> {
    const result = await this.sh(script, timeoutMs);
    if (result.code !== 0) throw new Error(`${this.name}: \`${script}\` exited ${result.code}: ${result.output.trim()}`);
    return result.output;
  }

  private send(script: string, timeoutMs: number): Promise<CommandResult> {
    if (!this.socket || this.exited) return Promise.reject(new Error(`${this.name}: not running (${this.exited ?? 'not ready'})`));
    const id = this.nextId++;
    const guarded = `timeout -s KILL ${Math.ceil(timeoutMs / 1000)} bash -c ${shellQuote(script)}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: no answer in ${timeoutMs / 1000 + 10} s to \`${script}\``));
      }, timeoutMs + 10_000);
      this.waiting.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.socket!.write(`${id} ${Buffer.from(guarded).toString('base64')}\n`);
    });
  }

  /** Kernel messages and everything else the guest printed on its console since `from`. */
  consoleSince(from: number): string {
    return this.console.slice(from);
  }

  get consoleLength(): number {
    return this.console.length;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
