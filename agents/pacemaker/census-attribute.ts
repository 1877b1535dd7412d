// The census as GuestCensus publishes it and VirtualMachine reads it: a transient node attribute
// holding {"at": <unix seconds by the publishing node's clock>, "guests": [[uuid, name], ...]}.
// Pure, and importing nothing, so VirtualMachine's start pays only for this file.
export interface CensusEntry {
  /** when it was taken, ms since the epoch by the publishing node's clock */
  at: number;
  guests: Array<{ uuid?: string; name: string }>;
}

export function encodeCensus(entry: CensusEntry): string {
  return JSON.stringify({ at: Math.round(entry.at / 1000), guests: entry.guests.map((g) => (g.uuid ? [g.uuid, g.name] : ['', g.name])) });
}

/** undefined when the value is not a census this version wrote. Pure. */
export function decodeCensus(value: string): CensusEntry | undefined {
  try {
    const parsed = JSON.parse(value) as { at?: unknown; guests?: unknown };
    if (typeof parsed.at !== 'number' || !Array.isArray(parsed.guests)) return undefined;
    const guests: CensusEntry['guests'] = [];
    for (const g of parsed.guests) {
      if (!Array.isArray(g) || typeof g[0] !== 'string' || typeof g[1] !== 'string') return undefined;
      guests.push(g[0] ? { uuid: g[0], name: g[1] } : { name: g[1] });
    }
    return { at: parsed.at * 1000, guests };
  } catch {
    return undefined;
  }
}

/** `attrd_updater -Q -A -n NAME`: `name="N" host="H" value="V"` per node (V printed as is). Pure. */
export function parseAttrdQuery(stdout: string): Array<{ host: string; value: string }> {
  const out: Array<{ host: string; value: string }> = [];
  for (const line of stdout.split('\n')) {
    const m = /^name="[^"]*" host="([^"]*)" value="(.*)"\s*$/.exec(line.trim());
    if (m) out.push({ host: m[1]!, value: m[2]! });
  }
  return out;
}
