/**
 * Ratings as search ranks them and people read them. A mean of a handful of ratings says little, so search ranks by
 * a Bayesian average: the therapist's ratings together with `PRIOR_WEIGHT` imagined ratings at the market's mean.
 * One 5-star rating then no longer outranks forty at 4.9; as ratings accumulate, the therapist's own mean takes over.
 */

/** How many ratings at the market's mean every therapist starts with. */
export const PRIOR_WEIGHT = 5;

/** Used as the prior mean where a market has no rating yet. */
export const NEUTRAL_MEAN = 4;

export interface RatingSummary {
  /** The mean of the ratings, null when there are none. */
  average: number | null;
  count: number;
}

/** (C·m + Σ stars) / (C + n): `summary`'s ratings with `priorWeight` more at `priorMean`. */
export function bayesianAverage(summary: RatingSummary, priorMean: number, priorWeight = PRIOR_WEIGHT): number {
  const sum = summary.average === null ? 0 : summary.average * summary.count;
  return (priorWeight * priorMean + sum) / (priorWeight + summary.count);
}

/** The mean of every rating in `summaries` together (each weighted by its count); `NEUTRAL_MEAN` when there are none. */
export function meanOfAll(summaries: Iterable<RatingSummary>): number {
  let sum = 0;
  let count = 0;
  for (const s of summaries) {
    if (s.average === null || s.count === 0) continue;
    sum += s.average * s.count;
    count += s.count;
  }
  return count === 0 ? NEUTRAL_MEAN : sum / count;
}

/** "4.9 (40)", or "New" without ratings: the mean to one decimal with how many ratings it is of. */
export function ratingInWords(summary: RatingSummary): string {
  if (summary.average === null || summary.count === 0) return 'New';
  return `${summary.average.toFixed(1)} (${summary.count})`;
}

/** How a review names its writer in public: the first name and the initial of the last ("Maria K."). */
export function reviewerName(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'A client';
  const [first, ...rest] = words;
  const last = rest.at(-1);
  return last ? `${first} ${[...last][0]!.toUpperCase()}.` : first!;
}
