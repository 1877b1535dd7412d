// The shared shape of every hook: a POSIX sh script that turns its stack's arguments and
// environment into one interface name and hands it to `ocfkit drbd reconnect --iface IF`.
// The reconnect runs in the background, detached from the caller's stdout/stderr (ifup, run-parts
// and the dispatchers wait for those) and bounded by timeout(1), so the network stack never waits
// on DRBD. Everything is reported through logger(1) to the daemon facility.
import { GENERATED_MARKER } from '../../agents/core/files';
import type { HookScriptOptions } from './types';

/** File name used by every stack that takes a directory of hooks (run-parts naming: no dots). */
export const HOOK_NAME = 'ocfkit-drbd-reconnect';

/** Upper bound, in seconds, for one background `ocfkit drbd reconnect`. */
const RECONNECT_LIMIT_S = 120;

/** Serializes the hooks' reconnects on a node; in /run (root-only), not a world-writable lock dir. */
const LOCK_FILE = '/run/ocfkit-drbd-reconnect.lock';

/** The line that records which ocfkit the hook calls (doctor reads it back). */
export const OCFKIT_LINE = /^OCFKIT='([^']*)'$/m;

/** The version in a generated header, or undefined. */
export const VERSION_LINE = new RegExp(`^# ${GENERATED_MARKER} (\\S+?)\\. Do not edit`, 'm');

const SAFE_PATH = /^\/[A-Za-z0-9_./+-]*$/;

/** Rejects an ocfkit path that is not absolute or would need shell quoting. */
export function checkOcfkitPath(ocfkit: string): void {
  if (!SAFE_PATH.test(ocfkit) || ocfkit.split('/').includes('..')) {
    throw new Error(`--ocfkit ${JSON.stringify(ocfkit)}: must be an absolute path of letters, digits and _ . / + - (no ..)`);
  }
}

export interface HookScript {
  /** comment lines (without "# ") saying who calls the hook and how */
  protocol: string[];
  /** sh lines that end by calling `ocfkit_reconnect IFACE` (or exiting) */
  body: string[];
}

export function renderHook(options: HookScriptOptions, hook: HookScript): string {
  checkOcfkitPath(options.ocfkit);
  return [
    '#!/bin/sh',
    `# ${GENERATED_MARKER} ${options.version}. Do not edit: "ocfkit hooks install" rewrites this file.`,
    ...hook.protocol.map((line) => `# ${line}`),
    '# It asks ocfkit to reconnect the DRBD resources whose replication address is on that interface',
    '# (DRBD 8.4 and 9.0 before 9.0.16 stay StandAlone once their local address went away). The',
    '# reconnect runs in the background, bounded by timeout, so bringing the interface up never waits on it,',
    '# and one at a time (an interface with inet and inet6 stanzas, or two hook paths, fire twice).',
    '',
    `OCFKIT='${options.ocfkit}'`,
    `LIMIT=${RECONNECT_LIMIT_S}`,
    `LOCK=${LOCK_FILE}`,
    '',
    'ocfkit_log() {',
    '\tprintf \'%s\\n\' "$2" | logger -t ocfkit-hook -p "daemon.$1" 2>/dev/null || :',
    '}',
    '',
    '# $1 interface, $2 "locked" when fd 9 is the lock file',
    'ocfkit_run() {',
    '\tif [ "$2" = locked ] && ! flock -w "$LIMIT" 9; then',
    '\t\tocfkit_log warning "another DRBD reconnect held $LOCK for ${LIMIT}s: DRBD resources on $1 not reconnected"',
    '\t\treturn 0',
    '\tfi',
    '\tif command -v timeout >/dev/null 2>&1; then',
    '\t\tout=$(timeout "$LIMIT" "$OCFKIT" drbd reconnect --iface "$1" 2>&1)',
    '\telse',
    '\t\tout=$("$OCFKIT" drbd reconnect --iface "$1" 2>&1)',
    '\tfi',
    '\trc=$?',
    '\tif [ -n "$out" ]; then',
    '\t\tprintf \'%s\\n\' "$out" | logger -t ocfkit-hook -p daemon.info 2>/dev/null',
    '\tfi',
    '\tocfkit_log info "drbd reconnect --iface $1 exited $rc"',
    '}',
    '',
    'ocfkit_reconnect() {',
    '\tcase "$1" in',
    "\t'' | lo | --all) return 0 ;;",
    '\t*[!A-Za-z0-9_.@+-]*)',
    '\t\tocfkit_log warning "ignoring unexpected interface name \'$1\'"',
    '\t\treturn 0',
    '\t\t;;',
    '\tesac',
    '\tif [ ! -x "$OCFKIT" ]; then',
    '\t\tocfkit_log warning "$OCFKIT is not executable: DRBD resources on $1 not reconnected"',
    '\t\treturn 0',
    '\tfi',
    "\t# detached from the caller's stdin/stdout/stderr: ifup, run-parts and the dispatchers wait for those",
    '\t# (a { group }: dash does not give a backgrounded function call its redirections)',
    '\tif command -v flock >/dev/null 2>&1 && [ -w "${LOCK%/*}" ]; then',
    '\t\t{ ocfkit_run "$1" locked; } 9>>"$LOCK" </dev/null >/dev/null 2>&1 &',
    '\telse',
    '\t\t{ ocfkit_run "$1" unlocked; } </dev/null >/dev/null 2>&1 &',
    '\tfi',
    '}',
    '',
    ...hook.body,
    '',
  ].join('\n');
}
