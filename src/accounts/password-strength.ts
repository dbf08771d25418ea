/**
 * How guessable a new password is, by zxcvbn (dictionaries of common passwords, names and words, keyboard
 * patterns, repeats, sequences, dates). Scores run 0 (too guessable) to 4; below MIN_SCORE is refused, with
 * zxcvbn's own words for why. The person's e-mail and name count as known words.
 */
export const MIN_SCORE = 3;

/**
 * Loaded and built before the first password judged, not at start-up: the dictionaries' modules are tens of MiB
 * and ranking them took about 0.7 s of CPU, which a server that signs nobody up never needs (issue 19's
 * three-second start and its memory ceiling).
 */
const buildEstimator = async () => {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
};
let building: ReturnType<typeof buildEstimator> | undefined;
let estimator: Awaited<ReturnType<typeof buildEstimator>> | undefined;

/** Makes `judgePassword` ready: await it (once is enough, later calls return at once) before judging. */
export async function preparePasswordJudge(): Promise<void> {
  estimator ??= await (building ??= buildEstimator());
}

function ready() {
  if (!estimator) throw new Error('judgePassword before preparePasswordJudge');
  return estimator;
}

export interface PasswordVerdict {
  ok: boolean;
  score: number;
  /** Why it is refused, as a sentence for the field. */
  reason: string;
}

/** Judges a password; `preparePasswordJudge()` must have been awaited first (a schema's refinement cannot wait). */
export function judgePassword(password: string, knownWords: string[] = []): PasswordVerdict {
  if (password.trim().length === 0) return { ok: false, score: 0, reason: 'A password cannot be only spaces.' };
  // Each word of them too: 'ada.lovelace@example.com' gives 'ada' and 'lovelace'.
  const words = knownWords
    .flatMap((w) => [w, ...w.toLowerCase().split(/[^\p{L}\p{N}]+/u)])
    .filter((w) => w.length >= 3);
  const result = ready().check(password, [...new Set(words)]);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score, reason: '' };
  const why = result.feedback.warning ?? 'This password is easy to guess.';
  const hint = result.feedback.suggestions[0] ?? 'Add more words that are less common.';
  return { ok: false, score: result.score, reason: `${why} ${hint}` };
}
