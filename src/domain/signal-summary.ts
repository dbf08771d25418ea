import { regionRefLabel, sortRegionRefs } from './body-regions.js';
import type { SignalKind } from './live-signals.js';

/** A stored signal as the summary needs it, in sequence order. */
export interface SummarySignal {
  seq: number;
  kind: SignalKind;
  level: number | null;
  region: string | null;
  /** Pressure only: why the therapist went past the screening's cap. */
  reason?: string | null;
}

export interface RegionSummary {
  /** A region of the body map, or null for feedback given while no region was being worked. */
  region: string | null;
  label: string;
  /** The highest pressure the client accepted here (see `summarizeSignals`); null when none was. */
  highestAcceptedPressure: number | null;
  /** The highest pressure the therapist reported working here. */
  highestPressureApplied: number | null;
  less: number;
  good: number;
  more: number;
  peakDiscomfort: number | null;
  /** Why the therapist went past the screening's cap here, as they said during the session, in order, each once. */
  reasons: string[];
}

interface Spell {
  region: string;
  level: number;
  /** The client's last less/good/more about this region during the spell. */
  verdict: 'less' | 'good' | 'more' | null;
}

/**
 * Sums up a session's signals per region.
 *
 * The therapist's `pressure` signals divide the session into spells: from one to the next, one region is worked
 * at one level. A client signal names its region, or by default means the region being worked. A pressure level
 * is *accepted* for a region when, in a spell at that level there, the client's last word about that region was
 * "good" or "more" (the level was fine, or not even enough). A spell the client ended with "less", or said nothing
 * about, accepts nothing: silence is not taken as consent. The highest accepted pressure is the maximum over a
 * region's accepted spells.
 *
 * Counts of less/good/more and the peak discomfort (0-10) are kept per region the same way; feedback given while
 * nothing was being worked and naming no region is kept under region null. The reasons the therapist gave for
 * pressure past the screening's cap are kept with the region they were given for.
 */
export function summarizeSignals(signals: readonly SummarySignal[]): RegionSummary[] {
  const byRegion = new Map<string | null, RegionSummary>();
  const entry = (region: string | null) => {
    let found = byRegion.get(region);
    if (!found) {
      found = {
        region,
        label: region === null ? 'No area named' : regionRefLabel(region),
        highestAcceptedPressure: null,
        highestPressureApplied: null,
        less: 0,
        good: 0,
        more: 0,
        peakDiscomfort: null,
        reasons: [],
      };
      byRegion.set(region, found);
    }
    return found;
  };
  const max = (a: number | null, b: number) => (a === null ? b : Math.max(a, b));
  let spell: Spell | null = null;
  const closeSpell = () => {
    if (spell && (spell.verdict === 'good' || spell.verdict === 'more')) {
      const summary = entry(spell.region);
      summary.highestAcceptedPressure = max(summary.highestAcceptedPressure, spell.level);
    }
    spell = null;
  };

  for (const signal of [...signals].sort((a, b) => a.seq - b.seq)) {
    if (signal.kind === 'pressure') {
      closeSpell();
      if (signal.region === null || signal.level === null) continue;
      spell = { region: signal.region, level: signal.level, verdict: null };
      const summary = entry(signal.region);
      summary.highestPressureApplied = max(summary.highestPressureApplied, signal.level);
      if (signal.reason && !summary.reasons.includes(signal.reason)) summary.reasons.push(signal.reason);
      continue;
    }
    const current: Spell | null = spell;
    const region = signal.region ?? current?.region ?? null;
    const summary = entry(region);
    if (signal.kind === 'discomfort') {
      if (signal.level !== null) summary.peakDiscomfort = max(summary.peakDiscomfort, signal.level);
      continue;
    }
    summary[signal.kind] += 1;
    if (current && current.region === region) current.verdict = signal.kind;
  }
  closeSpell();

  const named = sortRegionRefs([...byRegion.keys()].filter((r): r is string => r !== null)).map((r) =>
    byRegion.get(r)!,
  );
  const unnamed = byRegion.get(null);
  return unnamed ? [...named, unnamed] : named;
}
