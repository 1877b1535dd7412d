// A unified diff of two small texts (rules files are tens of lines), for `generate --check`.
// Longest-common-subsequence over lines; hunks with three lines of context, like diff -u.

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = diffOps(a, b);
  if (ops.every((op) => op.kind === ' ')) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  // group changes whose contexts touch into one hunk
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      if (ops[end]!.kind !== ' ') {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run]!.kind === ' ') run++;
      if (run < ops.length && run - end <= context * 2) end = run;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const first = ops[start]!;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount ? first.oldLine : first.oldLine - 1},${oldCount} +${newCount ? first.newLine : first.newLine - 1},${newCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    i = end;
    start = end;
  }
  return `${out.join('\n')}\n`;
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** 1-based line numbers where this op sits in the old and new text */
  oldLine: number;
  newLine: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
    } else {
      ops.push({ kind: '+', text: b[j]!, oldLine: i + 1, newLine: j + 1 });
      j++;
    }
  }
  return ops;
}
