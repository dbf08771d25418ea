import { NDI_ITEMS, type NdiItemId } from './neck-disability-questionnaire.js';
import {
  type Band,
  bandOf,
  MIN_ANSWERED_SECTIONS,
  type QuestionnaireAnswers,
  totalOfAnswered,
} from './questionnaire.js';

export type NdiBandId = 'none' | 'mild' | 'moderate' | 'severe' | 'complete';

/** Interpretation of the 0-50 total [NDI]. */
export const NDI_BANDS: readonly Band<NdiBandId>[] = [
  { id: 'none', label: 'No disability', upTo: 4 },
  { id: 'mild', label: 'Mild disability', upTo: 14 },
  { id: 'moderate', label: 'Moderate disability', upTo: 24 },
  { id: 'severe', label: 'Severe disability', upTo: 34 },
  { id: 'complete', label: 'Complete disability', upTo: 50 },
];

export type NdiResult =
  | {
      status: 'scored';
      /** Total on the 0-50 scale; prorated when items were skipped. */
      points: number;
      /** points x 2. */
      percent: number;
      band: Band<NdiBandId>;
      answered: number;
      skipped: NdiItemId[];
    }
  | { status: 'too_few_answers'; answered: number; required: number; skipped: NdiItemId[] };

/**
 * The Neck Disability Index: ten items 0..5, total 0-50, x2 = percent [NDI]. A skipped item (often driving) is
 * prorated: the total is scaled to ten items, sum x 10 / answered, which is the scoring guides' "divide by 45 when
 * one section is missed" on the 0-50 scale. Fewer than MIN_ANSWERED_SECTIONS answers are not scored.
 */
export function scoreNdi(answers: QuestionnaireAnswers<NdiItemId>): NdiResult {
  const { sum, answered, skipped } = totalOfAnswered(NDI_ITEMS, answers);
  if (answered < MIN_ANSWERED_SECTIONS) {
    return { status: 'too_few_answers', answered, required: MIN_ANSWERED_SECTIONS, skipped };
  }
  const points = (sum * NDI_ITEMS.length) / answered;
  return { status: 'scored', points, percent: points * 2, band: bandOf(NDI_BANDS, points), answered, skipped };
}
