// `ocfkit hooks install`: the chosen stack's hooks below --root, plus the per-interface
// configuration a stack needs (wicked's POST_UP_SCRIPT in ifcfg-IF), and warnings for what
// ocfkit will not change by itself (SUSE's GLOBAL_POST_UP_EXEC).
import { statSync } from 'node:fs';
import path from 'node:path';
import { readIfExists, writeFileAtomic } from '../../agents/core/files';
import { rootProbe } from './probe';
import { STACKS } from './registry';
import { CHAINED_SUFFIX, IFUP_LOCAL } from './rhel-initscripts';
import { globalPostUpExec, IFCFG_DIR, SUSE_CONFIG } from './suse-sysconfig';
import { lookup, setKey } from './sysconfig-file';
import { assertNever } from '../../agents/core/assert';
import type { HookScriptOptions, StackName } from './types';
import { WICKED_POST_UP } from './wicked';
import { HookConflictError, writeHook, type WriteOutcome } from './write';

export interface InstallRequest extends HookScriptOptions {
  root: string;
  stack: StackName;
  iface?: string;
}

export interface InstallReport {
  outcomes: WriteOutcome[];
  /** configuration files changed besides the hooks (ifcfg-IF) */
  configured: string[];
  warnings: string[];
}

export function installHooks(request: InstallRequest): InstallReport {
  const stack = STACKS[request.stack];
  const report: InstallReport = { outcomes: [], configured: [], warnings: [] };
  for (const file of stack.files(request)) {
    const chain = request.stack === 'rhel-initscripts' && file.path === IFUP_LOCAL;
    report.outcomes.push(writeHook(request.root, file, chain ? { chainForeign: { suffix: CHAINED_SUFFIX } } : {}));
  }
  const name = request.stack;
  switch (name) {
    case 'wicked':
      if (request.iface) {
        const changed = setPostUpScript(request.root, request.iface);
        if (changed) report.configured.push(changed);
      } else {
        report.warnings.push(`no --iface given: add POST_UP_SCRIPT='${WICKED_POST_UP}' to ${IFCFG_DIR}/ifcfg-IF of each replication interface`);
      }
      break;
    case 'suse-sysconfig': {
      const value = globalPostUpExec(rootProbe(request.root));
      if (!/^yes$/i.test(value ?? '')) {
        report.warnings.push(
          `GLOBAL_POST_UP_EXEC is ${value === undefined ? 'not set' : `'${value}'`} in ${SUSE_CONFIG}: ifup runs if-up.d hooks only with GLOBAL_POST_UP_EXEC='yes'`,
        );
      }
      break;
    }
    case 'ifupdown':
    case 'rhel-initscripts':
    case 'networkmanager':
    case 'networkd-dispatcher':
      break;
    default:
      assertNever(name);
  }
  return report;
}

/** Sets wicked's POST_UP_SCRIPT in ifcfg-IF; returns the file when it changed it. */
function setPostUpScript(root: string, iface: string): string | undefined {
  if (!/^[A-Za-z0-9_.@+-]+$/.test(iface)) throw new HookConflictError(`--iface ${JSON.stringify(iface)}: not an interface name`);
  const file = path.join(root, IFCFG_DIR, `ifcfg-${iface}`);
  const text = readIfExists(file);
  if (text === undefined) throw new HookConflictError(`${file} not found: configure ${iface} with wicked/YaST first`);
  const current = lookup(text, 'POST_UP_SCRIPT');
  if (current?.value === WICKED_POST_UP) return undefined;
  if (current && current.value !== '') {
    throw new HookConflictError(
      `${file}:${current.line}: POST_UP_SCRIPT is already '${current.value}'; not replacing it (call ${WICKED_POST_UP.slice('compat:suse:'.length)} from that script)`,
    );
  }
  writeFileAtomic(file, setKey(text, 'POST_UP_SCRIPT', WICKED_POST_UP), statSync(file).mode & 0o7777);
  return file;
}
