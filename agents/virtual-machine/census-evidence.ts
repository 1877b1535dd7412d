// The guest census (ocf:ocfkit:GuestCensus) as evidence for the peer guard: a fresh census entry of
// another node listing the guest refuses the start at once, without asking anyone; with
// trust_census, a fresh entry that does not list it stands in for a peer that cannot be asked.
// The live peer check stays the default evidence: without trust_census an unreachable peer still
// refuses, whatever its census says.
import type { Executor } from '../core/executor';
import { decodeCensus, parseAttrdQuery, type CensusEntry } from '../pacemaker/census-attribute';
import type { DomainRef } from './backend';
import type { Handoff, PeerAnswer, GuardVerdict as Verdict } from './guards';

export interface CensusFact {
  node: string;
  entry: CensusEntry;
}

export interface Freshness {
  now: number;
  maxAgeMs: number;
  /** a timestamp this far in the future (the other node's clock ahead) still counts */
  skewMs: number;
}

/** Every node's published census; [] when none can be read (the census is extra evidence only). */
export async function readCensus(exec: Executor, attribute: string): Promise<CensusFact[]> {
  const result = await exec.run('attrd_updater', ['-Q', '-A', '-n', attribute], { timeoutMs: 5000 }).catch(() => undefined);
  if (!result || result.exitCode !== 0) return [];
  return parseAttrdQuery(result.stdout).flatMap(({ host, value }) => {
    const entry = decodeCensus(value);
    return entry ? [{ node: host, entry }] : [];
  });
}

const ageOf = (entry: CensusEntry, f: Freshness) => f.now - entry.at;
const isFresh = (entry: CensusEntry, f: Freshness) => ageOf(entry, f) <= f.maxAgeMs && ageOf(entry, f) >= -f.skewMs;

function lists(entry: CensusEntry, ref: DomainRef): { by: 'uuid' | 'name'; line: string } | undefined {
  const byUuid = ref.uuid ? entry.guests.find((g) => g.uuid === ref.uuid) : undefined;
  if (byUuid) return { by: 'uuid', line: `${byUuid.uuid} ${byUuid.name}` };
  const byName = ref.name ? entry.guests.find((g) => g.name === ref.name && (!g.uuid || !ref.uuid)) : undefined;
  return byName ? { by: 'name', line: byName.name } : undefined;
}

const seconds = (entry: CensusEntry, f: Freshness) => `${Math.round(ageOf(entry, f) / 1000)} s old`;

/** Refuses when a fresh census of another node lists the guest (its migration source excepted). Pure. */
export function decideCensus(census: CensusFact[], self: string, ref: DomainRef, f: Freshness, handoff?: Handoff): Verdict {
  const notes: string[] = [];
  for (const { node, entry } of census) {
    if (node === self) continue;
    const hit = lists(entry, ref);
    if (!hit) continue;
    if (!isFresh(entry, f)) {
      notes.push(`the census of ${node} lists the guest but is ${seconds(entry, f)} (census_max_age ${f.maxAgeMs / 1000} s): the peers decide`);
    } else if (handoff?.role === 'target' && node === handoff.source) {
      notes.push(`the census of ${node} lists the guest: expected during the live-migration handoff from it`);
    } else {
      return { ok: false, reason: `the guest runs on ${node} by its guest census (${seconds(entry, f)}, matched by ${hit.by}: ${hit.line})` };
    }
  }
  return { ok: true, notes };
}

/**
 * With trust_census: a peer that cannot be asked but whose fresh census does not list the guest
 * counts as not running it. Pure.
 */
export function acceptCensus(answers: PeerAnswer[], census: CensusFact[], ref: DomainRef, f: Freshness): { answers: PeerAnswer[]; notes: string[] } {
  const notes: string[] = [];
  const out = answers.map((answer): PeerAnswer => {
    if (answer.kind !== 'unreachable') return answer;
    const fact = census.find((c) => c.node === answer.node);
    if (!fact || !isFresh(fact.entry, f) || lists(fact.entry, ref)) return answer;
    notes.push(
      `${answer.node} could not be asked (${answer.error}); its guest census (${seconds(fact.entry, f)}) does not list the guest: accepted (trust_census)`,
    );
    return { node: answer.node, kind: 'absent' };
  });
  return { answers: out, notes };
}
