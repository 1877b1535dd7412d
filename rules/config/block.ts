// The `block:` section of the site config: which devices get which tunables.
//   block:
//     devices:
//       - name: sata disks          # optional, shown in the rules file and in status
//         match: { kernel: "sd*" }  # exactly one selector
//         set: { read_ahead_kb: 4100 }
import type { Node } from 'yaml';
import { fail, list, object, string, type Ctx, type Schema } from './schema';
import type { Position } from './errors';
import { canBeMd, describeSelector, SELECTOR, type Selector } from './block-selectors';
import { TUNABLE_NAMES, TUNABLES, type TunableName } from './block-tunables';
import { LABEL, MAX_LABEL, onlyCharacters } from './strings';

export interface BlockEntry {
  /** index in block.devices, and where it is in the file: for comments and messages */
  index: number;
  path: string;
  position: Position | undefined;
  name: string | undefined;
  selector: Selector;
  /** validated values, exactly as written to sysfs */
  set: Partial<Record<TunableName, string>>;
}

export interface BlockSection {
  devices: BlockEntry[];
}

const SET: Schema<Partial<Record<TunableName, string>>> = (() => {
  const inner = object(
    Object.fromEntries(TUNABLE_NAMES.map((name) => [name, { schema: TUNABLES[name].schema }])) as Record<TunableName, { schema: Schema<string> }>,
    {
      expected: `a mapping of tunables (${TUNABLE_NAMES.join(', ')})`,
    },
  );
  return {
    expected: inner.expected,
    read(ctx: Ctx, node: Node | null, path: string) {
      const values = inner.read(ctx, node, path) as Partial<Record<TunableName, string>>;
      if (Object.keys(values).length === 0) fail(ctx, node, path, `set at least one tunable (${TUNABLE_NAMES.join(', ')})`);
      return values;
    },
  };
})();

const FIELDS = object({
  name: { schema: string('a label (letters, digits, spaces, _ . : + @ # / -)', onlyCharacters(LABEL, 'a label', MAX_LABEL)) },
  match: { schema: SELECTOR, required: true },
  set: { schema: SET, required: true },
});

interface Entry {
  name: string | undefined;
  selector: Selector;
  set: Partial<Record<TunableName, string>>;
}

const ENTRY: Schema<Entry> = {
  expected: 'a mapping with match: and set:',
  read(ctx, node, path) {
    const value = FIELDS.read(ctx, node, path);
    const entry = { name: value.name, selector: value.match!, set: value.set! };
    if (entry.set.stripe_cache_size !== undefined && !canBeMd(entry.selector)) {
      fail(
        ctx,
        node,
        `${path}.set.stripe_cache_size`,
        `stripe_cache_size exists only on md RAID4/5/6 arrays and "${describeSelector(entry.selector)}" cannot name one (use match: {md: {name: ...}} or a kernel pattern starting with md)`,
      );
    }
    return entry;
  },
};

const SECTION = object({ devices: { schema: list(ENTRY) } }, { expected: 'a mapping with devices: (a list of {match, set})' });

export const BLOCK_SECTION: Schema<BlockSection> = {
  expected: SECTION.expected,
  read(ctx, node, path) {
    const section = SECTION.read(ctx, node, path);
    const devices = (section.devices ?? []).map(({ value, position, path: entryPath }, index): BlockEntry => ({
      index,
      path: entryPath,
      position,
      name: value.name,
      selector: value.selector,
      set: value.set,
    }));
    return { devices };
  },
};
