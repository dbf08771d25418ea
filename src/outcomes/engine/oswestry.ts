import { ODI_SECTIONS, type OdiSectionId } from './oswestry-questionnaire.js';
import {
  type Band,
  bandOf,
  MIN_ANSWERED_SECTIONS,
  type QuestionnaireAnswers,
  totalOfAnswered,
} from './questionnaire.js';

export type OdiBandId = 'minimal' | 'moderate' | 'severe' | 'crippled' | 'bed_bound';

/** Interpretation of the index [ODI-bands]. */
export const ODI_BANDS: readonly Band<OdiBandId>[] = [
  { id: 'minimal', label: 'Minimal disability', upTo: 20 },
  { id: 'moderate', label: 'Moderate disability', upTo: 40 },
  { id: 'severe', label: 'Severe disability', upTo: 60 },
  { id: 'crippled', label: 'Crippled', upTo: 80 },
  { id: 'bed_bound', label: 'Bed-bound', upTo: 100 },
];

export type OdiResult =
  | { status: 'scored'; percent: number; band: Band<OdiBandId>; answered: number; skipped: OdiSectionId[] }
  | { status: 'too_few_answers'; answered: number; required: number; skipped: OdiSectionId[] };

/**
 * The Oswestry Disability Index: sum / (5 x answered sections) x 100 [ODI-score], so a skipped section (often sex
 * life) lowers the maximum rather than counting as 0. Fewer than MIN_ANSWERED_SECTIONS answers are not scored.
 */
export function scoreOdi(answers: QuestionnaireAnswers<OdiSectionId>): OdiResult {
  const { sum, answered, skipped } = totalOfAnswered(ODI_SECTIONS, answers);
  if (answered < MIN_ANSWERED_SECTIONS) {
    return { status: 'too_few_answers', answered, required: MIN_ANSWERED_SECTIONS, skipped };
  }
  // Multiplying first keeps whole-number results exact (900 / 45 is exactly 20).
  const percent = (sum * 100) / (5 * answered);
  return { status: 'scored', percent, band: bandOf(ODI_BANDS, percent), answered, skipped };
}
