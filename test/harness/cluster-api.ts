// What integration suites do with the running test cluster: install agents, create and delete
// resources and constraints (cibadmin), wait for the cluster to settle, read state, inject failures.
// Every command runs inside the cluster's mount namespace, so it sees the same OCF tree.
import { copyFileSync, chmodSync, existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/binaries';
import { cloneXml, primitiveXml, type PrimitiveSpec } from './cluster-cib';
import { parseCrmMon, type ClusterState, type FailureState, type ResourceState } from './cluster-state';
import type { MountNamespace } from './mountns';
import type { FakeBin } from './fake-bin';
import { waitFor, type RunOptions, type RunResult } from './proc';

export class ClusterApi {
  readonly node = 'node1';

  constructor(
    private readonly ns: MountNamespace,
    /** host path of the private resource.d tree (mounted over /usr/lib/ocf/resource.d inside) */
    readonly resourceDir: string,
    /** this cluster's private state directory (logs under log/ and log-pacemaker/) */
    readonly dir: string,
  ) {}

  /** Runs a command inside the cluster's mount namespace; never throws on non-zero exit. */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.ns.run(argv, options);
  }

  /** Like exec but throws (with stderr) on a non-zero exit. */
  execOk(argv: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.ns.runOk(argv, options);
  }

  /** Copies an agent executable in as ocf:ocfkit-test:<name> (default: its file name). */
  installTestAgent(file: string, name = path.basename(file)): void {
    const target = path.join(this.resourceDir, 'ocfkit-test', name);
    copyFileSync(file, target);
    chmodSync(target, 0o755);
  }

  /** (Re)creates ocf:ocfkit:<Agent> symlinks to dist/ocfkit for every agent in agents/registry.ts. */
  async installOcfkitAgents(): Promise<string[]> {
    const binary = path.join(repoRoot, 'dist', 'ocfkit');
    const { agentNames } = await import('../../agents/registry');
    const dir = path.join(this.resourceDir, 'ocfkit');
    for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { force: true });
    const names = agentNames();
    if (names.length && !existsSync(binary)) throw new Error(`${binary} is missing: run npm run build first`);
    for (const name of names) symlinkSync(binary, path.join(dir, name));
    return names;
  }

  /**
   * Makes the tools of a fakeBin() directory visible to agents the cluster runs (first on the
   * PATH pacemakerd was started with). Returns a function that removes them again.
   */
  addFakeBin(fakes: FakeBin): () => void {
    const bin = path.join(this.dir, 'bin');
    const added: string[] = [];
    for (const tool of readdirSync(fakes.dir)) {
      const link = path.join(bin, tool);
      if (existsSync(link)) throw new Error(`the cluster already has a fake ${tool} (from another suite?): remove it first`);
      symlinkSync(path.join(fakes.dir, tool), link);
      added.push(link);
    }
    return () => added.forEach((link) => rmSync(link, { force: true }));
  }

  async state(): Promise<ClusterState> {
    const result = await this.execOk(['crm_mon', '-1', '--output-as=xml', '--include=all'], { timeoutMs: 30_000 });
    return parseCrmMon(result.stdout);
  }

  async createPrimitive(spec: PrimitiveSpec): Promise<void> {
    await this.cibCreate('resources', primitiveXml(spec));
  }

  /** An anonymous clone of `primitive` named `${primitive.id}-clone` unless given; notify=true by default. */
  async createClone(primitive: PrimitiveSpec, meta: Record<string, string | number | boolean> = {}, cloneId = `${primitive.id}-clone`): Promise<string> {
    await this.cibCreate('resources', cloneXml(cloneId, primitive, { notify: 'true', ...meta }));
    return cloneId;
  }

  /** cibadmin --create of raw XML into a section (resources, constraints, crm_config, ...). */
  async cibCreate(section: 'resources' | 'constraints' | 'crm_config' | 'rsc_defaults' | 'op_defaults', xml: string): Promise<void> {
    await this.execOk(['cibadmin', '--create', '-o', section, '--xml-text', xml]);
  }

  async cibDelete(xml: string): Promise<void> {
    await this.execOk(['cibadmin', '--delete', '--xml-text', xml]);
  }

  async addConstraint(xml: string): Promise<void> {
    await this.cibCreate('constraints', xml);
  }

  async deleteConstraint(id: string): Promise<void> {
    const query = await this.execOk(['cibadmin', '--query', '--xpath', `//constraints/*[@id='${id}']`]);
    await this.cibDelete(query.stdout);
  }

  /** Waits until the cluster has no pending actions (crm_resource --wait). */
  async settle(timeoutMs = 90_000): Promise<void> {
    const result = await this.exec(['crm_resource', '--wait', `--timeout=${Math.ceil(timeoutMs / 1000)}s`], { timeoutMs: timeoutMs + 15_000 });
    if (result.code !== 0) {
      const state = await this.state().catch(() => undefined);
      throw new Error(
        `cluster did not settle within ${timeoutMs / 1000} s (crm_resource --wait exited ${result.code}: ${result.stderr.trim()})\n${describe(state)}`,
      );
    }
  }

  async resource(id: string): Promise<ResourceState[]> {
    return (await this.state()).resources.filter((r) => r.id === id || r.parent === id);
  }

  /** Polls crm_mon until `predicate` holds; the error shows the last state seen. */
  async waitForState(what: string, predicate: (state: ClusterState) => boolean, timeoutMs = 60_000): Promise<ClusterState> {
    let last: ClusterState | undefined;
    return waitFor(
      what,
      async () => {
        last = await this.state();
        return predicate(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 500, lastSeen: () => describe(last) },
    );
  }

  waitForRole(id: string, role: 'Started' | 'Stopped' | 'Promoted' | 'Unpromoted', timeoutMs = 60_000): Promise<ClusterState> {
    return this.waitForState(
      `${id} to be ${role}`,
      (s) => {
        const states = s.resources.filter((r) => r.id === id);
        return states.length > 0 && states.every((r) => r.role === role && !r.failed);
      },
      timeoutMs,
    );
  }

  waitForFailure(id: string, match: (failure: FailureState) => boolean = () => true, timeoutMs = 60_000): Promise<FailureState> {
    return this.waitForState(`a failed operation of ${id}`, (s) => s.failures.some((f) => f.resource === id && match(f)), timeoutMs).then((s) =>
      s.failures.find((f) => f.resource === id && match(f))!,
    );
  }

  /** crm_resource --cleanup: forgets failures and operation history of `id` (all if omitted). */
  async cleanup(id?: string): Promise<void> {
    await this.execOk(['crm_resource', '--cleanup', ...(id ? ['-r', id] : [])]);
  }

  /** Simulates a failed recurring monitor of `id` as Pacemaker's own failure injection does. */
  async failResource(id: string): Promise<void> {
    await this.execOk(['crm_resource', '--fail', '-r', id, '-N', this.node]);
  }

  async setTargetRole(id: string, role: 'Started' | 'Stopped'): Promise<void> {
    await this.execOk(['crm_resource', '-r', id, '--meta', '-p', 'target-role', '-v', role]);
  }

  /** Stops `id` (a primitive, clone or group), waits, deletes it and its history. */
  async deleteResource(id: string, timeoutMs = 90_000): Promise<void> {
    await this.setTargetRole(id, 'Stopped');
    await this.settle(timeoutMs);
    const query = await this.execOk(['cibadmin', '--query', '--xpath', `//resources//*[@id='${id}']`]);
    await this.cibDelete(query.stdout);
    await this.cleanup();
    await this.settle(timeoutMs);
  }

  /** A node attribute (lifetime reboot = transient/attrd, forever = in the CIB's nodes section). */
  async nodeAttribute(name: string, lifetime: 'reboot' | 'forever' = 'reboot'): Promise<string | undefined> {
    const result = await this.exec(['crm_attribute', '-N', this.node, '-n', name, '-l', lifetime, '-G', '-q']);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async setNodeAttribute(name: string, value: string, lifetime: 'reboot' | 'forever' = 'reboot'): Promise<void> {
    await this.execOk(['crm_attribute', '-N', this.node, '-n', name, '-l', lifetime, '-v', value]);
  }

  async deleteNodeAttribute(name: string, lifetime: 'reboot' | 'forever' = 'reboot'): Promise<void> {
    await this.execOk(['crm_attribute', '-N', this.node, '-n', name, '-l', lifetime, '-D']);
  }
}

function describe(state: ClusterState | undefined): string {
  if (!state) return '(no state)';
  const resources = state.resources
    .map((r) => `${r.parent ? `${r.parent}/` : ''}${r.id}=${r.role}${r.failed ? '(failed)' : ''}@${r.nodes.join(',')}`)
    .join(' ');
  const failures = state.failures.map((f) => `${f.opKey} ${f.exitStatus} "${f.exitReason}"`).join('; ');
  return `dc=${state.dc} quorate=${state.quorate} resources: ${resources || 'none'}${failures ? ` failures: ${failures}` : ''}`;
}
