/**
 * What the Oswestry and Neck Disability questionnaires share: ten sections, each answered by picking one of six
 * statements scored 0 (no difficulty) to 5 (most), a total over the answered sections, and interpretation bands.
 */

export type SectionScore = 0 | 1 | 2 | 3 | 4 | 5;

export interface QuestionnaireOption {
  score: SectionScore;
  text: string;
}

export interface QuestionnaireSection<Id extends string = string> {
  id: Id;
  title: string;
  /** Exactly six statements, in score order 0..5. */
  options: readonly QuestionnaireOption[];
}

/** The six statements of a section, scored 0..5 in the order given. */
export function sixStatements(...texts: [string, string, string, string, string, string]): QuestionnaireOption[] {
  return texts.map((text, score) => ({ score: score as SectionScore, text }));
}

/** A client's answers: the chosen statement's score per section; a section left out (or null) was skipped. */
export type QuestionnaireAnswers<Id extends string> = Partial<Record<Id, number | null>>;

/**
 * Fewest answered sections we still score. Neither questionnaire's scoring rule in the reference says how many
 * may be skipped; the published scoring guides divide by 45 when "one section is missed or not applicable", and a
 * common convention is not to score a form with more than two sections missing. We take that convention: at least
 * 8 of 10.
 */
export const MIN_ANSWERED_SECTIONS = 8;

export interface AnsweredTotal<Id extends string> {
  sum: number;
  answered: number;
  skipped: Id[];
}

/** Sums the answered sections; throws on an unknown section or a score that is not a whole number 0..5. */
export function totalOfAnswered<Id extends string>(
  sections: readonly QuestionnaireSection<Id>[],
  answers: QuestionnaireAnswers<Id>,
): AnsweredTotal<Id> {
  const known = new Set<string>(sections.map((s) => s.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) throw new RangeError(`Unknown section "${key}"`);
  }
  let sum = 0;
  let answered = 0;
  const skipped: Id[] = [];
  for (const section of sections) {
    const score = answers[section.id];
    if (score === undefined || score === null) {
      skipped.push(section.id);
      continue;
    }
    if (!Number.isInteger(score) || score < 0 || score > 5) {
      throw new RangeError(`Section "${section.id}" must be scored 0..5, got ${score}`);
    }
    sum += score;
    answered += 1;
  }
  return { sum, answered, skipped };
}

export interface Band<Id extends string = string> {
  id: Id;
  label: string;
  /** Highest whole-number score in the band (inclusive). */
  upTo: number;
}

/**
 * The band of a score. Published bands are whole-number ranges with gaps between them (0-20, 21-40), so a score
 * that is not a whole number (after a skipped section) is rounded to the nearest whole number first.
 */
export function bandOf<Id extends string>(bands: readonly Band<Id>[], score: number): Band<Id> {
  const whole = Math.round(score);
  return bands.find((band) => whole <= band.upTo) ?? bands[bands.length - 1]!;
}
