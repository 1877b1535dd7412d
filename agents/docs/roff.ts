// Escaping for man(7) pages written by ocfkit. groff reads a line starting with "." or "'" as a
// request, a backslash as an escape, a plain "-" as a hyphen (not the minus sign an option needs),
// and a quote as the end of a macro argument. Everything that reaches a page goes through here.

/** Text inside a line: backslashes, option dashes and non-ASCII characters escaped. */
export function escapeInline(text: string): string {
  return (
    text
      .replace(/\\/g, '\\e')
      // a dash that starts a word is a minus sign ("--prefix", "-1"); one inside a word is a hyphen
      .replace(/(^|[\s([{"'=/|,:;<>])-+/g, (match, before: string) => before + match.slice(before.length).replace(/-/g, '\\-'))
      .replace(/[^\x00-\x7e]/gu, (char) => `\\[u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
  );
}

/** Code and names (options, commands, paths): every dash is a real minus sign. */
export function escapeLiteral(text: string): string {
  return escapeInline(text).replace(/(?<!\\)-/g, '\\-');
}

/** A text line that groff must not mistake for a request. */
export function safeLine(escapedLine: string): string {
  return /^[.']/.test(escapedLine) ? `\\&${escapedLine}` : escapedLine;
}

/** One argument of a macro: quoted, with its quotes replaced by the \(dq glyph. */
export function macroArgument(escapedText: string): string {
  return `"${escapedText.replace(/"/g, '\\(dq')}"`;
}

/**
 * Prose from an agent or command definition as filled text. Blank lines separate paragraphs
 * (written with `separator`, ".PP" at top level, ".IP" inside an indented item); leading
 * whitespace is dropped because groff would break the line there.
 */
export function prose(text: string, separator = '.PP'): string[] {
  const out: string[] = [];
  let pendingBreak = false;
  for (const raw of text.trim().split('\n')) {
    const line = raw.trim();
    if (line === '') {
      pendingBreak = out.length > 0;
      continue;
    }
    if (pendingBreak) out.push(separator);
    pendingBreak = false;
    out.push(safeLine(escapeInline(line)));
  }
  return out;
}

/** Lines shown as they are (examples): no filling, every character literal. */
export function literalBlock(lines: readonly string[]): string[] {
  return ['.RS 4', '.nf', ...lines.map((line) => (line === '' ? '\\&' : safeLine(escapeLiteral(line)))), '.fi', '.RE'];
}

export const bold = (escaped: string): string => `\\fB${escaped}\\fR`;
export const italic = (escaped: string): string => `\\fI${escaped}\\fR`;

/** Joins page lines; a page always ends with a newline. */
export function page(lines: readonly string[]): string {
  return lines.join('\n') + '\n';
}
