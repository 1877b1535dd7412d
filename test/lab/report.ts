// Scenario results: every check prints one PASS/FAIL line with what was measured.
import type { Lab } from './lab';

export interface Check {
  scenario: string;
  ok: boolean;
  what: string;
  detail: string;
}

export interface Scenario {
  id: string;
  title: string;
  /** not run unless asked for by --only or --all (e.g. needs a bigger image) */
  optional?: boolean;
  /** Debian packages the guests need beyond the base image */
  extraPackages?: string[];
  run(lab: Lab, report: Report): Promise<void>;
}

export class Report {
  readonly checks: Check[] = [];
  scenario = '';

  check(ok: boolean, what: string, detail: string): boolean {
    this.checks.push({ scenario: this.scenario, ok, what, detail });
    console.log(`${ok ? 'PASS' : 'FAIL'} [${this.scenario}] ${what}: ${detail}`);
    return ok;
  }

  note(line: string): void {
    console.log(`     [${this.scenario}] ${line}`);
  }

  get failed(): Check[] {
    return this.checks.filter((check) => !check.ok);
  }
}
