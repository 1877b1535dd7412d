// The block tunables the site config may set, one declarative entry each: the sysfs attribute
// udev writes, how the config value is validated, how it is written and how sysfs shows it.
// Limits are the kernel's (block/blk-sysfs.c, drivers/md/raid5.c); where the real limit depends on
// the device (max_hw_sectors_kb, the tag set depth) apply and status report what the kernel refused.
import { integer, parsed, type Schema } from './schema';
import { parseSizeKiB } from './sizes';

export type TunableName = 'read_ahead_kb' | 'stripe_cache_size' | 'scheduler' | 'nr_requests' | 'max_sectors_kb' | 'rotational' | 'add_random';

export interface TunableSpec {
  /** attribute relative to /sys/block/NAME */
  attribute: string;
  /** md arrays only (the rule gets the md guards) */
  mdOnly: boolean;
  schema: Schema<string>;
  /** the value as sysfs shows it, for comparing with the desired value */
  current(raw: string): string;
  doc: string;
}

const trimmed = (raw: string) => raw.trim();
const asString = <T extends number>(schema: Schema<T>): Schema<string> => ({
  expected: schema.expected,
  read: (ctx, node, path) => String(schema.read(ctx, node, path)),
});

function sizeKiB(min: number, max: number): Schema<string> {
  return parsed(`a size in KiB ${min}..${max} (4096, "4M", "8192s")`, (value) => {
    const kib = parseSizeKiB(value);
    if (kib < min || kib > max) throw new Error(`${JSON.stringify(value)} is ${kib} KiB, out of range ${min}..${max} KiB`);
    return String(kib);
  });
}

const flag: Schema<string> = parsed('true/false (or 1/0)', (value) => {
  if (value === true || value === 1) return '1';
  if (value === false || value === 0) return '0';
  throw new Error(`expected true/false (or 1/0), found ${JSON.stringify(value)}`);
});

/** blk-mq schedulers; the kernel refuses names it has no module for */
const SCHEDULERS = ['none', 'mq-deadline', 'kyber', 'bfq'] as const;

export const TUNABLES: Record<TunableName, TunableSpec> = {
  read_ahead_kb: {
    attribute: 'queue/read_ahead_kb',
    mdOnly: false,
    // 1 GiB: far above any useful readahead; larger values are typos (a byte count given as KiB)
    schema: sizeKiB(0, 1024 * 1024),
    current: trimmed,
    doc: 'readahead in KiB; accepts 4096, "4M", "8192s" (512-byte sectors)',
  },
  stripe_cache_size: {
    attribute: 'md/stripe_cache_size',
    mdOnly: true,
    schema: asString(integer(17, 32768, 'pages per member disk')),
    current: trimmed,
    doc: 'md RAID4/5/6 stripe cache in pages per member disk; memory = page size x member disks x value',
  },
  scheduler: {
    attribute: 'queue/scheduler',
    mdOnly: false,
    schema: parsed(`one of ${SCHEDULERS.join(', ')}`, (value) => {
      if (typeof value === 'string' && (SCHEDULERS as readonly string[]).includes(value)) return value;
      throw new Error(`unknown I/O scheduler ${JSON.stringify(value)}: expected one of ${SCHEDULERS.join(', ')}`);
    }),
    // sysfs lists the available ones and brackets the active one: "[mq-deadline] kyber none"
    current: (raw) => /\[([^\]]+)\]/.exec(raw)?.[1] ?? raw.trim(),
    doc: `I/O scheduler: ${SCHEDULERS.join(', ')}`,
  },
  nr_requests: {
    attribute: 'queue/nr_requests',
    mdOnly: false,
    schema: asString(integer(4, 65536)),
    current: trimmed,
    doc: 'request queue depth (4 is the kernel minimum; the device may refuse large values)',
  },
  max_sectors_kb: {
    attribute: 'queue/max_sectors_kb',
    mdOnly: false,
    schema: sizeKiB(4, 1024 * 1024),
    current: trimmed,
    doc: "largest request in KiB (at least one page, at most the device's max_hw_sectors_kb)",
  },
  rotational: {
    attribute: 'queue/rotational',
    mdOnly: false,
    schema: flag,
    current: trimmed,
    doc: 'true for spinning disks; false makes the kernel treat the device as an SSD',
  },
  add_random: {
    attribute: 'queue/add_random',
    mdOnly: false,
    schema: flag,
    current: trimmed,
    doc: 'whether I/O completions feed the entropy pool',
  },
};

/**
 * The order rules are written in, which is the order udev writes the attributes. Changing the
 * scheduler resets nr_requests to the scheduler's default, so the scheduler goes first; writing a
 * queue limit (max_sectors_kb) makes newer kernels recompute readahead, so readahead goes last.
 */
export const TUNABLE_NAMES: TunableName[] = ['scheduler', 'nr_requests', 'max_sectors_kb', 'rotational', 'add_random', 'stripe_cache_size', 'read_ahead_kb'];
