// udev's pattern matching for `==`: shell globs (* ? [a-z] [!x]) with "|" separating
// alternatives, anchored at both ends. Used to predict which devices a generated rule matches.

export function udevGlobMatch(pattern: string, value: string): boolean {
  return pattern.split('|').some((alternative) => globToRegExp(alternative).test(value));
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = close;
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, (c) => `\\${c}`);
  }
  return new RegExp(`^${out}$`, 's');
}
