// Strings from the config end up inside double-quoted udev rule values (and comments). udev has no
// escaping inside "..." values, and expands $name, $env{..}, %k and friends in many keys, so the
// only safe policy is an allow-list per kind of value, with a reason that says what the refused
// character would have done.

const REASONS: Array<[RegExp, string]> = [
  [/["'`]/, 'quotes would end the udev string early'],
  [/[\n\r]/, 'a line break would end the udev rule in the middle'],
  [/[\x00-\x1f\x7f]/, 'control characters are not allowed'],
  [/\$/, 'udev expands "$" substitutions ($kernel, $env{...}); "$(...)" is not allowed'],
  [/%/, 'udev expands "%" substitutions (%k, %n, ...)'],
  [/[{}]/, 'braces belong to udev substitutions'],
  [/\\/, 'udev does not unescape backslashes in these values'],
  [/\|/, '"|" separates udev alternatives; give a list instead'],
  [/[;&<>()]/, 'shell metacharacters are not allowed'],
  [/\s/, 'white space is not allowed'],
  [/,/, 'a comma would separate udev keys'],
  [/=/, '"=" would be read as a udev operator'],
];

/**
 * Returns undefined when every character of `value` is in `allowed` (a character-class body),
 * else a reason naming the first refused character and its position in the value.
 */
function refuseCharacters(value: string, allowed: string, what: string): string | undefined {
  if (value.length === 0) return `${what} must not be empty`;
  const ok = new RegExp(`^[${allowed}]$`);
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ok.test(ch)) continue;
    const reason = REASONS.find(([re]) => re.test(ch))?.[1] ?? `only ${describeAllowed(allowed)} are allowed`;
    return `${JSON.stringify(ch)} at character ${i + 1} of ${JSON.stringify(value)} is not allowed in ${what}: ${reason}`;
  }
  return undefined;
}

function describeAllowed(allowed: string): string {
  return `letters, digits and ${allowed
    .replace(/A-Za-z0-9/, '')
    .replace(/\\/g, '')
    .split('')
    .map((c) => (c === ' ' ? 'space' : c))
    .join(' ')}`;
}

/** Kernel device names and their glob patterns: sd*, nvme*n*, xvd[a-d], drbd1 */
export const KERNEL_GLOB = 'A-Za-z0-9_.:*?\\[\\]!\\-';
/** Names from device-mapper, LVM, md, multipath and by-id serials, optionally with globs */
export const NAME_GLOB = 'A-Za-z0-9_.:+@#*?\\[\\]!\\-';
/** Free text that goes into a comment line of a generated file */
export const LABEL = 'A-Za-z0-9_.:+@#/ \\-';

/** Longest name or pattern accepted: device-mapper, LVM and md names stay far below it. */
const MAX_NAME = 255;
/** Longest label (block.devices[].name): it is repeated in a comment line and in status output. */
export const MAX_LABEL = 120;

/** A check for schema.string(): refuse a value with characters outside `allowed`, or longer than `max`. */
export const onlyCharacters =
  (allowed: string, what: string, max = MAX_NAME) =>
  (value: string): string | undefined =>
    value.length > max ? `${what} of ${value.length} characters is too long (at most ${max})` : refuseCharacters(value, allowed, what);

/**
 * A glob with no literal character ("*", "?*", "[a-z]*") matches every device of its kind:
 * a selector must name something. Returns the reason, or undefined.
 */
function refuseCatchAll(value: string, every: string, hint: string): string | undefined {
  const literal = value.replace(/\[[^\]]*\]/g, '').replace(/[*?]/g, '');
  return literal === '' ? `${JSON.stringify(value)} would match every ${every}: ${hint}` : undefined;
}

/** onlyCharacters, then refuseCatchAll: for the glob-capable selector values. */
export const namedGlob = (allowed: string, what: string, every: string, hint: string) => (value: string) =>
  onlyCharacters(allowed, what)(value) ?? refuseCatchAll(value, every, hint);
