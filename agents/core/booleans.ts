// Pacemaker's boolean spellings (crm_str_to_boolean), case-insensitive. Anything else is an error,
// not "false": a typo in a safety switch must not silently disable it.
const TRUE = new Set(['true', 'on', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'off', 'no', 'n', '0']);

export function parseBoolean(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}

export const BOOLEAN_SPELLINGS = 'true/false, yes/no, on/off, y/n, 1/0';

/** OCF_TRACE_RA as resource-agents reads it: any of Pacemaker's true spellings. */
export function traceRequested(env: NodeJS.ProcessEnv): boolean {
  return env.OCF_TRACE_RA !== undefined && parseBoolean(env.OCF_TRACE_RA) === true;
}

/** Debug output: HA_debug/HA_DEBUG=1 (ocf-shellfuncs' test), or tracing. */
export function debugRequested(env: NodeJS.ProcessEnv): boolean {
  return env.HA_debug === '1' || env.HA_DEBUG === '1' || traceRequested(env);
}
