// Known-bad xl settings, each reported with file:line and the fix. validate-all fails on errors
// and logs warnings.
import type { XlSetting } from './xl-config';
import { xlSetting } from './xl-config';

export interface LintFinding {
  severity: 'error' | 'warning';
  line: number;
  setting: string;
  message: string;
  fix: string;
}

export interface LintFacts {
  /** number of physical CPUs of this host, to write a complete cpus range in the fix */
  hostCpus: number;
}

export function lintXlConfig(settings: XlSetting[], facts: LintFacts): LintFinding[] {
  const findings: LintFinding[] = [];
  const cpus = xlSetting(settings, 'cpus');
  if (cpus && cpus.form === 'list') {
    const items = (cpus.value as unknown[]).map(String);
    // Xen 4.6 regression: a list whose entries carry "^" exclusions is not understood and the
    // guest fails to boot; the same set written as one string works.
    if (items.some((item) => item.includes('^'))) {
      findings.push({
        severity: 'error',
        line: cpus.line,
        setting: 'cpus',
        message: `cpus = [ ${items.map((i) => `"${i}"`).join(', ')} ] uses the list form with "^" exclusions, which makes the guest fail to boot on Xen 4.6 (xl 4.17 refuses an entry of exclusions only: "vcpu hard affinity map is empty"), and the list form pins only the first vCPUs, one entry each`,
        fix: `write it as one string: cpus = "${cpuString(items, facts.hostCpus)}"`,
      });
    }
  }
  // xl (4.17, seen in the lab) excludes from an empty set: "^0,^1" alone leaves no CPU at all
  if (cpus && cpus.form === 'string' && typeof cpus.value === 'string') {
    const parts = cpus.value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length > 0 && parts.every((p) => p.startsWith('^'))) {
      findings.push({
        severity: 'error',
        line: cpus.line,
        setting: 'cpus',
        message: `cpus = "${cpus.value}" only excludes CPUs, from an empty set: xl 4.17 refuses to create the guest ("vcpu hard affinity map is empty")`,
        fix: `name the CPUs it may use as well: cpus = "${cpuString(parts, facts.hostCpus)}"`,
      });
    }
  }
  const onCrash = xlSetting(settings, 'on_crash');
  if (onCrash && typeof onCrash.value === 'string' && /restart/.test(onCrash.value)) {
    findings.push({
      severity: 'warning',
      line: onCrash.line,
      setting: 'on_crash',
      message: `on_crash = "${onCrash.value}" restarts a crashed guest behind the cluster's back`,
      fix: 'use on_crash = "preserve" (or "destroy") so that the cluster sees the crash and recovers the guest itself',
    });
  }
  if (!xlSetting(settings, 'name')) {
    findings.push({ severity: 'error', line: 1, setting: 'name', message: 'the configuration has no name setting', fix: 'add name = "<guest name>"' });
  }
  return findings;
}

/** "^0,^1" with 8 host CPUs -> "^0,^1,2-7": exclusions plus the explicit range of the rest. */
function cpuString(items: string[], hostCpus: number): string {
  const parts = items
    .flatMap((i) => i.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  const positive = parts.filter((p) => !p.startsWith('^'));
  if (positive.length > 0 || hostCpus < 1) return parts.join(',');
  const excluded = new Set(parts.map((p) => Number(p.slice(1))).filter((n) => Number.isInteger(n)));
  let first = 0;
  while (excluded.has(first)) first++;
  // Every host CPU excluded (a smaller host than the guest was written for): show the shape.
  const rest = first <= hostCpus - 1 ? [first === hostCpus - 1 ? `${first}` : `${first}-${hostCpus - 1}`] : [`${first}-<last CPU>`];
  return [...parts, ...rest].join(',');
}

export function formatFinding(file: string, finding: LintFinding): string {
  return `${file}:${finding.line}: ${finding.setting}: ${finding.message}; fix: ${finding.fix}`;
}
