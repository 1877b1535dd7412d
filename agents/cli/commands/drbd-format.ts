// Human and JSON output of `ocfkit drbd status` and `ocfkit drbd reconnect`.
import { assertNever } from '../../core/assert';
import { formatAddress } from '../../drbd/address';
import { describeVerdict } from '../../drbd/policy';
import type { ConnectionReport, ReconnectReport } from '../../drbd/reconnect';
import type { ScannedConnection } from '../../drbd/scan';
import type { DrbdModel } from '../../drbd/types';

export function statusJson(model: DrbdModel, scanned: readonly ScannedConnection[], warnings: readonly string[]): unknown {
  return {
    version: model.version?.text ?? null,
    hostname: model.hostname,
    resources: model.resources.map((r) => ({
      name: r.name,
      up: r.up,
      role: r.role,
      volumes: r.volumes,
      connections: r.connections.map((c) => {
        const s = scanned.find((x) => x.resource === r && x.connection === c);
        return {
          ...c,
          interfaces: s?.interfaces ?? [],
          verdict: s ? { ...s.verdict, summary: describeVerdict(s.verdict) } : null,
        };
      }),
    })),
    warnings,
  };
}

export function statusText(model: DrbdModel, scanned: readonly ScannedConnection[], warnings: readonly string[]): string {
  const out: string[] = [];
  out.push(`DRBD ${model.version?.text ?? '(module not loaded)'} on ${model.hostname}`);
  if (!model.resources.length) out.push('no DRBD resources configured for this node');
  for (const r of model.resources) {
    const volumes = r.volumes.map((v) => `${v.minor !== undefined ? `drbd${v.minor}` : `vol${v.volume}`}:${v.disk}`).join(' ');
    out.push(`${r.name} ${r.up ? `role:${r.role}` : 'down'} ${volumes}`.trimEnd());
    for (const c of r.connections) {
      const s = scanned.find((x) => x.resource === r && x.connection === c);
      const disks = c.peerVolumes.map((p) => p.peerDisk).join(',') || 'DUnknown';
      out.push(
        `  ${c.peer} ${s?.evidence.state ?? c.state} peer-role:${c.peerRole} peer-disk:${disks} ${formatAddress(c.localAddress)} -> ${formatAddress(c.peerAddress)}${s?.interfaces.length ? ` (${s.interfaces.join(',')})` : ''}`,
      );
      if (s) out.push(`    verdict: ${describeVerdict(s.verdict)}: ${s.verdict.why}`);
    }
  }
  for (const w of warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}

export function reconnectText(report: ReconnectReport, dryRun: boolean): string {
  const out: string[] = [];
  if (!report.connections.length) out.push('no matching DRBD connections');
  for (const c of report.connections) out.push(line(c, dryRun));
  if (report.retune) {
    out.push(
      report.retune.command
        ? `${dryRun ? 'would re-apply' : 're-applied'} block tuning: ${report.retune.command.join(' ')}`
        : `block tuning: ${report.retune.skipped ?? report.retune.error}`,
    );
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}

function line(c: ConnectionReport, dryRun: boolean): string {
  const name = `${c.resource}:${c.peer}`;
  switch (c.outcome) {
    case 'reconnected':
      return `${name}: ${c.stateBefore}, reconnected (${c.command?.slice(1).join(' ')}), now ${c.stateAfter} - ${c.verdict.why}`;
    case 'would-reconnect':
      return `${name}: ${c.stateBefore}, ${dryRun ? 'would run' : 'should run'} ${c.command?.join(' ')} - ${c.verdict.why}`;
    case 'failed':
      return `${name}: ${c.stateBefore}, reconnect FAILED: ${c.error}`;
    case 'connected':
    case 'retrying':
    case 'disconnecting':
      return `${name}: ${c.stateBefore}, nothing to do`;
    case 'waiting':
    case 'left':
      return `${name}: ${c.stateBefore}, ${describeVerdict(c.verdict)} - ${c.verdict.why}`;
    default:
      return assertNever(c.outcome);
  }
}
