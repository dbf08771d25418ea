import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * How guessable a new password is, by zxcvbn (dictionaries of common passwords, names and words, keyboard
 * patterns, repeats, sequences, dates). Scores run 0 (too guessable) to 4; below MIN_SCORE is refused, with
 * zxcvbn's own words for why. The person's e-mail and name count as known words.
 */
export const MIN_SCORE = 3;

/**
 * Built on the first password judged, not at start-up: ranking its dictionaries took about 0.7 s of CPU and tens
 * of MiB that a server which signs nobody up never needs (issue 19's three-second start).
 */
let estimator: ZxcvbnFactory | undefined;
const estimatorOnce = () =>
  (estimator ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  }));

export interface PasswordVerdict {
  ok: boolean;
  score: number;
  /** Why it is refused, as a sentence for the field. */
  reason: string;
}

export function judgePassword(password: string, knownWords: string[] = []): PasswordVerdict {
  if (password.trim().length === 0) return { ok: false, score: 0, reason: 'A password cannot be only spaces.' };
  // Each word of them too: 'ada.lovelace@example.com' gives 'ada' and 'lovelace'.
  const words = knownWords
    .flatMap((w) => [w, ...w.toLowerCase().split(/[^\p{L}\p{N}]+/u)])
    .filter((w) => w.length >= 3);
  const result = estimatorOnce().check(password, [...new Set(words)]);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score, reason: '' };
  const why = result.feedback.warning ?? 'This password is easy to guess.';
  const hint = result.feedback.suggestions[0] ?? 'Add more words that are less common.';
  return { ok: false, score: result.score, reason: `${why} ${hint}` };
}
