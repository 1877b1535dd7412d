// Integration suites run against real programs (Pacemaker, libvirtd, udev, ifupdown, ...).
// Each states what it needs; when a need is not met here the suite is reported SKIPPED with the
// reason (never as passed), and build/test.mjs prints how many suites ran and how many skipped.
import { suite, type Test } from 'uvu';

export interface Need {
  /** what is needed, in words: "root", "/dev/kvm", "corosync binary" */
  what: string;
  /** returns undefined when met, or the reason it is not */
  check: () => string | undefined;
}

export interface SuiteRecord {
  name: string;
  skipped: boolean;
  reason?: string;
  seconds?: number;
}

const records: SuiteRecord[] = [];
const teardowns: Array<() => Promise<void> | void> = [];

export function integrationTally(): SuiteRecord[] {
  return records;
}

/** Registers cleanup that runs once after every suite of this process has run (shared peers). */
export function onRunEnd(teardown: () => Promise<void> | void): void {
  teardowns.push(teardown);
}

export async function runSuiteTeardowns(): Promise<void> {
  for (const teardown of teardowns.splice(0).reverse()) {
    try {
      await teardown();
    } catch (error) {
      console.error('teardown failed:', error);
    }
  }
}

/**
 * A uvu suite for an integration test. When a need is unmet, every test registered on it is
 * counted as skipped and the reason is printed.
 */
export function integrationSuite<T extends object = Record<string, unknown>>(name: string, needs: Need[], state?: T): Test<T> {
  const unmet = needs.map((need) => ({ need, reason: safeCheck(need) })).filter((entry) => entry.reason !== undefined);
  const record: SuiteRecord = { name, skipped: unmet.length > 0 };
  records.push(record);
  const real = suite<T>(name, state);
  if (unmet.length > 0) {
    record.reason = unmet.map((entry) => `${entry.need.what}: ${entry.reason}`).join('; ');
    console.log(`SKIPPED integration suite "${name}": ${record.reason}`);
    const skipping = ((..._args: unknown[]) => real.skip()) as unknown as Test<T>;
    skipping.skip = real.skip;
    skipping.only = skipping;
    skipping.before = Object.assign(() => undefined, { each: () => undefined }) as unknown as Test<T>['before'];
    skipping.after = Object.assign(() => undefined, { each: () => undefined }) as unknown as Test<T>['after'];
    skipping.run = real.run;
    return skipping;
  }
  let started = 0;
  real.before(() => {
    started = Date.now();
  });
  real.after(() => {
    record.seconds = (Date.now() - started) / 1000;
    console.log(`  integration suite "${name}" took ${record.seconds.toFixed(1)} s`);
  });
  return real;
}

function safeCheck(need: Need): string | undefined {
  try {
    return need.check();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
