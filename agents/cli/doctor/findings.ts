// What doctor reports: one finding per problem, with the evidence it saw and the exact fix (a
// command or a configuration line), rendered as text or JSON. The exit code is decided here once.

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** the check that found it (fencing, constraints, drbd-fencing, ...) */
  check: string;
  /** what it is about: a resource, a node, a file */
  subject: string;
  message: string;
  /** what was read that shows it: the command or file and the value */
  evidence: string;
  /** commands or configuration lines that fix it, in order */
  fix: string[];
}

export const finding = (severity: Severity, check: string, subject: string, message: string, evidence: string, fix: string[]): Finding => ({
  severity,
  check,
  subject,
  message,
  evidence,
  fix,
});

/** 2 with any error; 1 with warnings only when --strict; else 0. */
export function exitCodeFor(findings: readonly Finding[], strict: boolean): number {
  if (findings.some((f) => f.severity === 'error')) return 2;
  if (strict && findings.length) return 1;
  return 0;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** Errors first, then by check and subject, so two runs print the same text. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.check.localeCompare(b.check) || a.subject.localeCompare(b.subject));
}

export function renderText(findings: readonly Finding[], checked: readonly string[]): string {
  const lines: string[] = [];
  for (const f of sortFindings(findings)) {
    lines.push(`${f.severity.toUpperCase()} ${f.check}: ${f.subject}: ${f.message}`);
    lines.push(`  evidence: ${f.evidence}`);
    for (const fix of f.fix) lines.push(`  fix: ${fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`${errors} error(s), ${findings.length - errors} warning(s); checked: ${checked.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
