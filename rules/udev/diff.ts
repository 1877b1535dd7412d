// A unified diff for `generate --check`, like diff -u: three lines of context, the hunks of the
// `diff` package (jsdiff). A missing newline at the end is not a difference: both texts are
// compared as lines.
import { structuredPatch } from 'diff';

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const patch = structuredPatch(oldName, newName, asLines(oldText), asLines(newText), undefined, undefined, { context });
  if (patch.hunks.length === 0) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of patch.hunks) {
    // diff -u names the line before an empty range: "-0,0" for an empty old text
    const oldStart = hunk.oldLines ? hunk.oldStart : hunk.oldStart - 1;
    const newStart = hunk.newLines ? hunk.newStart : hunk.newStart - 1;
    out.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}

function asLines(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
