/**
 * Booking for two: the start times at which two different therapists, one for each person, are both free. Each
 * person's candidates are the therapists matching that person's own wishes (e.g. gender), best first, each with the
 * start times they are free at the same place. Pure: plain data in, plain data out.
 */

export interface PairCandidate {
  id: string;
  /** Start times (epoch ms) the therapist is free at the place, ascending. */
  slots: readonly number[];
}

export interface PairSlot {
  startsAt: number;
  /** The therapist for the first person (the booker). */
  first: string;
  /** The therapist for the second person (the guest); never the first's. */
  second: string;
}

/** For each start, the candidates free then, in the order given (best first). */
function freeByStart(candidates: readonly PairCandidate[]): Map<number, string[]> {
  const byStart = new Map<number, string[]>();
  for (const candidate of candidates) {
    for (const start of candidate.slots) {
      const list = byStart.get(start);
      if (list) {
        if (!list.includes(candidate.id)) list.push(candidate.id);
      } else byStart.set(start, [candidate.id]);
    }
  }
  return byStart;
}

/**
 * Two distinct therapists from `first` and `second` free at the same start, the earliest `limit` starts. At each
 * start the best candidate for the first person is taken, and the best other one for the second; when the second
 * person's only candidate is the first's best, the first person gets their next best instead.
 */
export function pairSlots(
  first: readonly PairCandidate[],
  second: readonly PairCandidate[],
  limit: number,
): PairSlot[] {
  const firstFree = freeByStart(first);
  const secondFree = freeByStart(second);
  const starts = [...firstFree.keys()].filter((start) => secondFree.has(start)).sort((a, b) => a - b);
  const found: PairSlot[] = [];
  for (const startsAt of starts) {
    if (found.length >= limit) break;
    const a = firstFree.get(startsAt)!;
    const b = secondFree.get(startsAt)!;
    const pick = choosePair(a, b);
    if (pick) found.push({ startsAt, ...pick });
  }
  return found;
}

/** The best pair of different therapists from two ranked lists, or null when there is none. */
export function choosePair(
  first: readonly string[],
  second: readonly string[],
): { first: string; second: string } | null {
  for (const a of first) {
    const b = second.find((id) => id !== a);
    if (b !== undefined) return { first: a, second: b };
  }
  return null;
}
