/**
 * Half-open [start, end) intervals stored flat as [s0, e0, s1, e1, ...]: no object per interval, which
 * keeps the slot engine's hot path allocation-light. "Normalised" means sorted, non-empty and with
 * overlapping or touching intervals merged.
 */

/** Sorts, drops empty intervals and merges overlapping or touching ones. */
export function normaliseIntervals(flat: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < flat.length; i += 2) if (flat[i]! < flat[i + 1]!) order.push(i);
  order.sort((a, b) => flat[a]! - flat[b]!);
  const merged: number[] = [];
  for (const i of order) appendMerging(merged, flat[i]!, flat[i + 1]!);
  return merged;
}

/**
 * Appends [start, end) to a normalised list whose last start is <= start, merging with the last interval
 * when they overlap or touch.
 */
export function appendMerging(normalised: number[], start: number, end: number): void {
  if (start >= end) return;
  const lastEnd = normalised.length - 1;
  if (lastEnd > 0 && start <= normalised[lastEnd]!) {
    if (end > normalised[lastEnd]!) normalised[lastEnd] = end;
  } else {
    normalised.push(start, end);
  }
}

/** Parts of `from` not covered by `remove`; both normalised, and so is the result. */
export function subtractIntervals(from: readonly number[], remove: readonly number[]): number[] {
  const result: number[] = [];
  let r = 0;
  for (let i = 0; i < from.length; i += 2) {
    let start = from[i]!;
    const end = from[i + 1]!;
    while (r < remove.length && remove[r + 1]! <= start) r += 2;
    for (let k = r; k < remove.length && remove[k]! < end; k += 2) {
      if (remove[k]! > start) result.push(start, remove[k]!);
      start = Math.max(start, remove[k + 1]!);
    }
    if (start < end) result.push(start, end);
  }
  return result;
}

/** A normalised list restricted to [lower, upper). */
export function clipIntervals(normalised: readonly number[], lower: number, upper: number): number[] {
  const result: number[] = [];
  for (let i = 0; i < normalised.length; i += 2) {
    const start = Math.max(normalised[i]!, lower);
    const end = Math.min(normalised[i + 1]!, upper);
    if (start < end) result.push(start, end);
  }
  return result;
}
