// `ocfkit hooks doctor`: the node's network stack, whether its hooks are in place and intact, and the
// SUSE settings that decide whether a hook runs at all (GLOBAL_POST_UP_EXEC, POST_UP_SCRIPT,
// STARTMODE of the replication interface: 'nfsroot' keeps it up across network restarts, the seed's
// alternative to a hook). Reading only; the report is data, the CLI renders it.
import { statSync } from 'node:fs';
import path from 'node:path';
import { detectStackFor, type Candidate } from './detect';
import { rootProbe } from './probe';
import { STACKS } from './registry';
import { CHAINED_SUFFIX, IFUP_LOCAL } from './rhel-initscripts';
import { OCFKIT_LINE, VERSION_LINE } from './script';
import { globalPostUpExec, IFCFG_DIR, ifcfgInterfaces } from './suse-sysconfig';
import { isGeneratedByOcfkit } from '../../agents/core/files';
import { lookup } from './sysconfig-file';
import type { RootProbe, StackName } from './types';
import { WICKED_POST_UP } from './wicked';
import { DEFAULT_EXECUTABLE } from '../../agents/core/paths';

type HookState = 'intact' | 'outdated' | 'modified' | 'missing' | 'foreign';

interface HookCheck {
  path: string;
  state: HookState;
  mode?: string;
  uid?: number;
  /** the ocfkit the hook calls */
  ocfkit?: string;
  problems: string[];
}

interface StartmodeCheck {
  iface: string;
  file: string;
  startmode: string;
  postUpScript?: string;
  note: string;
}

export interface DoctorReport {
  /** the replication interfaces checked, and where that list came from */
  replication?: { ifaces: string[]; from: string; notes: string[] };
  stack?: StackName;
  stackWhy?: string;
  stackProblem?: string;
  candidates: Candidate[];
  hooks: HookCheck[];
  chained?: string;
  globalPostUpExec?: string;
  startmodes: StartmodeCheck[];
  problems: string[];
}

export interface DoctorOptions {
  root: string;
  version: string;
  stack?: StackName;
  /** replication interfaces (--iface, or found in the DRBD configuration) */
  replication?: { ifaces: string[]; from: string; notes: string[] };
}

export function doctor(options: DoctorOptions): DoctorReport {
  const probe = rootProbe(options.root);
  const ifaces = options.replication?.ifaces ?? [];
  const detection = detectStackFor(probe, ifaces);
  const stack = options.stack ?? (detection.kind === 'found' ? detection.stack : undefined);
  const report: DoctorReport = { candidates: detection.candidates, hooks: [], startmodes: [], problems: [] };
  if (options.replication) report.replication = options.replication;
  if (options.stack) report.stackWhy = 'named with --stack';
  else if (detection.kind === 'found') report.stackWhy = detection.why;
  else {
    report.stackProblem = detection.message;
    report.problems.push(detection.message);
  }
  if (stack) {
    report.stack = stack;
    const expected = STACKS[stack].files({ ocfkit: DEFAULT_EXECUTABLE, version: options.version });
    for (const file of expected) report.hooks.push(checkHook(options.root, probe, stack, file.path, options.version));
    if (stack === 'rhel-initscripts' && probe.exists(`${IFUP_LOCAL}${CHAINED_SUFFIX}`)) report.chained = `${IFUP_LOCAL}${CHAINED_SUFFIX}`;
  }
  if (stack === 'suse-sysconfig' || stack === 'wicked' || probe.isDir(IFCFG_DIR)) {
    report.globalPostUpExec = globalPostUpExec(probe);
    const names = ifaces.length ? ifaces : ifcfgInterfaces(probe, IFCFG_DIR);
    for (const iface of names) {
      const check = startmode(probe, iface, stack);
      if (check) report.startmodes.push(check);
    }
  }
  if (stack === 'suse-sysconfig' && !/^yes$/i.test(report.globalPostUpExec ?? '')) {
    report.problems.push(`GLOBAL_POST_UP_EXEC is not 'yes' in /etc/sysconfig/network/config: ifup does not run /etc/sysconfig/network/if-up.d`);
  }
  if (stack === 'wicked') {
    // the replication interfaces must name the hook; when they are unknown, at least one interface must
    const named = report.startmodes.filter((check) => check.postUpScript === WICKED_POST_UP);
    if (ifaces.length) {
      for (const check of report.startmodes) {
        if (check.postUpScript !== WICKED_POST_UP && check.startmode !== 'nfsroot') {
          report.problems.push(
            `${check.file}: POST_UP_SCRIPT is ${check.postUpScript ? `'${check.postUpScript}'` : 'not set'}; wicked runs the hook only with POST_UP_SCRIPT='${WICKED_POST_UP}' (ocfkit hooks install --iface ${check.iface})`,
          );
        }
      }
    } else if (named.length === 0) {
      report.problems.push(
        `no ${IFCFG_DIR}/ifcfg-* names the hook, so wicked never runs it: set POST_UP_SCRIPT='${WICKED_POST_UP}' for the replication interface (ocfkit hooks install --iface IF)`,
      );
    }
  }
  for (const hook of report.hooks) report.problems.push(...hook.problems.map((p) => `${hook.path}: ${p}`));
  return report;
}

function checkHook(root: string, probe: RootProbe, stack: StackName, nodePath: string, version: string): HookCheck {
  const text = probe.read(nodePath);
  if (text === undefined) return { path: nodePath, state: 'missing', problems: ['missing (ocfkit hooks install)'] };
  const stat = statSync(path.join(root, nodePath));
  const check: HookCheck = { path: nodePath, state: 'intact', mode: (stat.mode & 0o7777).toString(8).padStart(4, '0'), uid: stat.uid, problems: [] };
  if (!isGeneratedByOcfkit(text)) {
    check.state = 'foreign';
    check.problems.push('exists but was not generated by ocfkit');
    return check;
  }
  const ocfkit = OCFKIT_LINE.exec(text)?.[1];
  const written = VERSION_LINE.exec(text)?.[1];
  if (ocfkit !== undefined) check.ocfkit = ocfkit;
  let regenerated: string | undefined;
  try {
    regenerated = STACKS[stack].files({ ocfkit: ocfkit ?? '', version: written ?? version }).find((f) => f.path === nodePath)?.content;
  } catch {
    regenerated = undefined; // an unreadable OCFKIT line: the file was edited
  }
  if (regenerated !== text) {
    check.state = 'modified';
    check.problems.push('differs from what ocfkit generates (edited by hand?); ocfkit hooks install rewrites it');
  } else if (written !== version) {
    check.state = 'outdated';
    check.problems.push(`generated by ocfkit ${written}, this is ${version}; ocfkit hooks install rewrites it`);
  }
  if (stat.mode & 0o022) check.problems.push(`mode ${check.mode} is group- or world-writable`);
  if (!(stat.mode & 0o100)) check.problems.push(`mode ${check.mode} is not executable`);
  if (stat.uid !== 0) check.problems.push(`owned by uid ${stat.uid}, not root`);
  const dirMode = statSync(path.dirname(path.join(root, nodePath))).mode;
  if (dirMode & 0o022) check.problems.push(`its directory is group- or world-writable (mode ${(dirMode & 0o7777).toString(8).padStart(4, '0')})`);
  if (ocfkit && !probe.exists(ocfkit)) check.problems.push(`calls ${ocfkit}, which is not there`);
  return check;
}

function startmode(probe: RootProbe, iface: string, stack: StackName | undefined): StartmodeCheck | undefined {
  const file = `${IFCFG_DIR}/ifcfg-${iface}`;
  const text = probe.read(file);
  if (text === undefined) return undefined;
  const value = (lookup(text, 'STARTMODE')?.value || 'manual').toLowerCase();
  const postUp = lookup(text, 'POST_UP_SCRIPT')?.value;
  const note =
    value === 'nfsroot'
      ? 'stays up across "rcnetwork restart/stop": DRBD keeps its address and no post-up hook runs (the alternative to a hook; watch DRBD with the DrbdReconnect agent)'
      : value === 'off'
        ? 'never brought up'
        : `taken down by a network restart; the ${stack ?? 'network stack'}'s hook must reconnect DRBD when it is back`;
  return { iface, file, startmode: value, ...(postUp ? { postUpScript: postUp } : {}), note };
}
