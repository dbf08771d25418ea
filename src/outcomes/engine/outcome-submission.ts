import { flexibilityResult, rangeOfMotionProblems } from './flexibility-tests.js';
import type { FlexibilityTestId } from '../../domain/flexibility-tests.js';
import type { MeasureId } from '../../domain/measure-catalogue.js';
import { type MeasurementDetail, measurementProblem } from './measurement.js';
import type { NdiItemId } from './neck-disability-questionnaire.js';
import { scoreNdi } from './neck-disability-index.js';
import type { OdiSectionId } from './oswestry-questionnaire.js';
import { scoreOdi } from './oswestry.js';
import { type PsfsRating, psfsActivityKey, psfsProblem, scorePsfs } from './psfs.js';
import type { QuestionnaireAnswers } from './questionnaire.js';

/**
 * One submission of an outcome measure, as a client fills in a questionnaire or a therapist records a reading,
 * turned into the values to store (pure). Scoring is the measures' own (oswestry.ts, neck-disability-index.ts,
 * psfs.ts, domain/flexibility-tests.ts); this only says what a submission stores and why it cannot be scored.
 */
export type OutcomeSubmission =
  | { measure: 'odi'; answers: QuestionnaireAnswers<OdiSectionId> }
  | { measure: 'ndi'; answers: QuestionnaireAnswers<NdiItemId> }
  | { measure: 'psfs'; ratings: PsfsRating[] }
  | { measure: 'nprs'; ratings: { region: string; score: number }[] }
  | { measure: FlexibilityTestId; side: 'left' | 'right' | null; trials: number[] };

export interface ScoredValue {
  measure: MeasureId;
  key: string | null;
  value: number;
  detail: MeasurementDetail;
}

export interface SubmissionProblem {
  field: string;
  code: string;
  message: string;
}

export type SubmissionResult = { ok: true; values: ScoredValue[] } | { ok: false; problems: SubmissionProblem[] };

const PSFS_MESSAGES = {
  no_activities: 'Rate at least one activity',
  too_many_activities: 'Rate at most three activities',
  empty_activity: 'Name each activity',
  duplicate_activity: 'Each activity once',
  score_out_of_range: 'Rate each activity with a whole number from 0 to 10',
} as const;

export function scoreSubmission(submission: OutcomeSubmission): SubmissionResult {
  switch (submission.measure) {
    case 'odi':
    case 'ndi': {
      const result = submission.measure === 'odi' ? scoreOdi(submission.answers) : scoreNdi(submission.answers);
      if (result.status === 'too_few_answers') {
        return {
          ok: false,
          problems: [
            {
              field: 'answers',
              code: 'too_few_answers',
              message: `Answer at least ${result.required} of the 10 sections (${result.answered} answered)`,
            },
          ],
        };
      }
      const value = 'points' in result ? result.points : result.percent;
      return {
        ok: true,
        values: [{ measure: submission.measure, key: null, value, detail: { answers: { ...submission.answers } } }],
      };
    }
    case 'psfs': {
      const problem = psfsProblem(submission.ratings);
      if (problem)
        return { ok: false, problems: [{ field: 'ratings', code: problem, message: PSFS_MESSAGES[problem] }] };
      const ratings = submission.ratings.map((r) => ({
        activity: r.activity.trim().replace(/\s+/g, ' '),
        score: r.score,
      }));
      return {
        ok: true,
        values: [
          { measure: 'psfs', key: null, value: scorePsfs(ratings), detail: { ratings } },
          ...ratings.map((r) => ({
            measure: 'psfs_activity' as const,
            key: psfsActivityKey(r.activity),
            value: r.score,
            detail: { activity: r.activity },
          })),
        ],
      };
    }
    case 'nprs': {
      const problems: SubmissionProblem[] = [];
      submission.ratings.forEach((r, i, all) => {
        const problem = measurementProblem({ measure: 'nprs', key: r.region, value: r.score });
        if (problem)
          problems.push({
            field: `ratings.${i}.${problem.field === 'key' ? 'region' : 'score'}`,
            code: problem.code,
            message: problem.message,
          });
        if (all.findIndex((other) => other.region === r.region) !== i)
          problems.push({
            field: `ratings.${i}.region`,
            code: 'duplicate_region',
            message: `${r.region} is listed twice`,
          });
      });
      if (problems.length > 0) return { ok: false, problems };
      return {
        ok: true,
        values: submission.ratings.map((r) => ({ measure: 'nprs', key: r.region, value: r.score, detail: {} })),
      };
    }
    default: {
      const rom = { test: submission.measure, side: submission.side, trials: submission.trials };
      const problems = rangeOfMotionProblems(rom);
      if (problems.length > 0) return { ok: false, problems };
      return {
        ok: true,
        values: [
          {
            measure: rom.test,
            key: rom.side,
            value: flexibilityResult(rom.test, rom.trials),
            detail: { trials: rom.trials },
          },
        ],
      };
    }
  }
}

/** The activity keys of a PSFS submission, sorted: two submissions rate the same activities when these are equal. */
export function psfsActivitySet(ratings: readonly { activity: string }[]): string[] {
  return ratings.map((r) => psfsActivityKey(r.activity)).sort();
}
