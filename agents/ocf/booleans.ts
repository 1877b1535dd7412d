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
