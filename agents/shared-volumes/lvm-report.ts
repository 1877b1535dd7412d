// Parsers for lvm2's `--reportformat json` output, as lvs/vgs print it:
//   {"report": [{"lv": [{"vg_name":"vg", "lv_name":"vm1", "lv_attr":"-wi-ao----", ...}]}]}
// Every value is a string. lvs exits 5 when one of the named VGs/LVs does not exist but still
// prints the rows it found, so the caller parses stdout whatever the exit code and reads the
// "not found" lines from stderr.

export interface LvRow {
  vg: string;
  lv: string;
  attr: string;
  lockType: string;
}

export interface VgRow {
  vg: string;
  attr: string;
  lockType: string;
}

export class ReportFormatError extends Error {}

function reportRows(stdout: string, kind: 'lv' | 'vg'): Array<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new ReportFormatError(`not a JSON report: ${error instanceof Error ? error.message : String(error)}`);
  }
  const report = (parsed as { report?: unknown }).report;
  if (!Array.isArray(report)) throw new ReportFormatError('JSON report without a "report" array');
  const rows: Array<Record<string, string>> = [];
  for (const section of report) {
    const list = (section as Record<string, unknown>)[kind];
    if (list === undefined) continue; // other sections (a "log" with log/report_command_log=1)
    if (!Array.isArray(list)) throw new ReportFormatError(`report section "${kind}" is not a list`);
    for (const row of list) rows.push(row as Record<string, string>);
  }
  return rows;
}

export function parseLvsReport(stdout: string): LvRow[] {
  return reportRows(stdout, 'lv').map((row) => ({
    vg: String(row.vg_name ?? ''),
    lv: String(row.lv_name ?? ''),
    attr: String(row.lv_attr ?? ''),
    lockType: String(row.vg_lock_type ?? ''),
  }));
}

export function parseVgsReport(stdout: string): VgRow[] {
  return reportRows(stdout, 'vg').map((row) => ({
    vg: String(row.vg_name ?? ''),
    attr: String(row.vg_attr ?? ''),
    lockType: String(row.vg_lock_type ?? ''),
  }));
}

/** VG names from lvm's 'Volume group "x" not found' lines. */
export function vgsNotFound(stderr: string): string[] {
  return [...stderr.matchAll(/Volume group "([^"]+)" not found/g)].map((match) => match[1]!);
}

// lv_attr: 10 characters. Index 4 is the state ('a' active, '-' inactive, 'X' unknown, others
// suspended/invalid), index 5 the device-open flag ('o' open, 'X' unknown).
export type LvState = 'active' | 'inactive' | 'unknown' | 'other';

export function lvState(attr: string): LvState {
  const state = attr[4];
  if (state === 'a') return 'active';
  if (state === '-') return 'inactive';
  if (state === 'X' || state === undefined) return 'unknown';
  return 'other';
}

export function lvOpen(attr: string): boolean | 'unknown' {
  const flag = attr[5];
  if (flag === 'o') return true;
  if (flag === 'X' || flag === undefined) return 'unknown';
  return false;
}

/** A clustered (clvmd) VG has 'c' as the sixth vg_attr character. */
export function vgClustered(attr: string): boolean {
  return attr[5] === 'c';
}
