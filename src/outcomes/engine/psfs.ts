/**
 * Patient-Specific Functional Scale [PSFS]: the client names up to three activities they find hard because of
 * their problem and rates each from 0 (unable to do it) to 10 (able to do it as well as before the problem).
 * The score is the average rating. At later visits the same activities are rated again, so a change in the
 * average compares like with like. The PSFS (Stratford et al. 1995) is free to use.
 */

export const PSFS_MAX_ACTIVITIES = 3;

export const PSFS_INSTRUCTIONS =
  'Name up to three everyday activities that you find hard or cannot do because of your problem (for example "run 5 km" or "sit through a work meeting"). Then rate how well you can do each one today.';

export const PSFS_SCALE = {
  0: 'Unable to do the activity',
  10: 'Able to do the activity as well as before the problem',
} as const;

export interface PsfsRating {
  /** The client's own words; the key of the activity's series over time. */
  activity: string;
  score: number;
}

/** The activity's key: the same words, whatever the spacing or capitals. */
export function psfsActivityKey(activity: string): string {
  return activity.trim().replace(/\s+/g, ' ').toLowerCase();
}

export type PsfsProblem =
  'no_activities' | 'too_many_activities' | 'empty_activity' | 'duplicate_activity' | 'score_out_of_range';

/** What is wrong with a set of ratings, or null when it can be scored. */
export function psfsProblem(ratings: readonly PsfsRating[]): PsfsProblem | null {
  if (ratings.length === 0) return 'no_activities';
  if (ratings.length > PSFS_MAX_ACTIVITIES) return 'too_many_activities';
  const keys = ratings.map((r) => psfsActivityKey(r.activity));
  if (keys.some((key) => key === '')) return 'empty_activity';
  if (new Set(keys).size !== keys.length) return 'duplicate_activity';
  if (ratings.some((r) => !Number.isInteger(r.score) || r.score < 0 || r.score > 10)) return 'score_out_of_range';
  return null;
}

/** The average rating; throws when psfsProblem would report one. */
export function scorePsfs(ratings: readonly PsfsRating[]): number {
  const problem = psfsProblem(ratings);
  if (problem) throw new RangeError(`PSFS ratings cannot be scored: ${problem}`);
  return ratings.reduce((sum, r) => sum + r.score, 0) / ratings.length;
}
