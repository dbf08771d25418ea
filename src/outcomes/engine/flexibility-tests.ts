/*
 * How the flexibility tests' trials combine into the recorded value, and the norms a value is read against. The
 * tests themselves (protocols, trials, units) are vocabulary: src/domain/flexibility-tests.ts.
 */
import { type FlexibilityTestId, flexibilityTest } from '../../domain/flexibility-tests.js';
import { outcomeMeasure } from '../../domain/measure-catalogue.js';

/** The recorded value from the trials: the single reading, the mean, or the best (highest) reach. */
export function flexibilityResult(id: FlexibilityTestId, trials: readonly number[]): number {
  const test = flexibilityTest(id);
  if (trials.length !== test.trials) {
    throw new RangeError(`${test.name} takes ${test.trials} trial(s), got ${trials.length}`);
  }
  switch (test.combine) {
    case 'single':
      return trials[0]!;
    case 'mean':
      return trials.reduce((sum, t) => sum + t, 0) / trials.length;
    case 'best':
      return Math.max(...trials);
  }
}

/** One range-of-motion reading as a note or a measurement form records it: the test, the side, the trials. */
export interface RangeOfMotionReading {
  test: FlexibilityTestId;
  /** Required for per-side tests (AKE, SLR), null for sit-and-reach. */
  side: 'left' | 'right' | null;
  trials: readonly number[];
}

export interface RangeOfMotionProblem {
  field: 'side' | 'trials';
  code: 'side_required' | 'side_not_allowed' | 'wrong_trial_count' | 'out_of_range';
  message: string;
}

/** What is wrong with one range-of-motion reading (side, number of trials, range), in a note or on its own. */
export function rangeOfMotionProblems(rom: RangeOfMotionReading): RangeOfMotionProblem[] {
  const test = flexibilityTest(rom.test);
  const problems: RangeOfMotionProblem[] = [];
  if (test.perSide && rom.side === null)
    problems.push({ field: 'side', code: 'side_required', message: `${test.name} is measured per side` });
  if (!test.perSide && rom.side !== null)
    problems.push({ field: 'side', code: 'side_not_allowed', message: `${test.name} is not measured per side` });
  if (rom.trials.length !== test.trials)
    problems.push({
      field: 'trials',
      code: 'wrong_trial_count',
      message: `${test.name} takes ${test.trials} trial(s)`,
    });
  const { min, max } = outcomeMeasure(rom.test);
  if (rom.trials.some((t) => t < min || t > max)) {
    problems.push({
      field: 'trials',
      code: 'out_of_range',
      message: `${test.name} readings must be between ${min} and ${max}`,
    });
  }
  return problems;
}

export type Sex = 'female' | 'male';

/**
 * AKE norms by sex, mean and standard deviation in degrees [AKE83, YIL].
 * @public cited reference data, kept beside the cut-offs in use (knip: not yet used by code)
 */
export const AKE_NORMS: Record<Sex, { mean: number; sd: number }> = {
  male: { mean: 17.8, sd: 9.1 },
  female: { mean: 13.4, sd: 6 },
};

/** Remaining knee flexion above which the hamstrings count as tight [TOP-AKE]. */
export const AKE_TIGHT_ABOVE: Record<Sex, number> = { male: 33.0, female: 23.4 };

/**
 * Whether hamstrings are tight by the AKE cut-off. The cut-offs are sex-specific, so without the client's sex
 * (or for anyone the norms do not describe) the reading is left unclassified rather than guessed.
 */
export function akeTightness(degrees: number, sex: Sex | null): 'tight' | 'not_tight' | 'unclassified' {
  if (sex === null) return 'unclassified';
  return degrees > AKE_TIGHT_ABOVE[sex] ? 'tight' : 'not_tight';
}

/**
 * The one sample mean the reference cites for the passive SLR, in degrees [TOP-SLR, GAJ93]; context, not a norm.
 * @public cited reference data (knip: not yet used by code)
 */
export const SLR_SAMPLE_MEAN_DEGREES = { from: 61, to: 62 } as const;

export const CM_PER_INCH = 2.54;

export function inchesToCm(inches: number): number {
  return inches * CM_PER_INCH;
}

/** YMCA sit-and-reach average for ages 18-25, in inches [YMCA]: the only age group the reference cites. */
export const YMCA_AVERAGE_INCHES_18_TO_25: Record<Sex, number> = { male: 16, female: 19 };

/**
 * How far a sit-and-reach result (cm) is above (+) or below (-) the YMCA average for the client's sex, for ages
 * 18-25; null outside that age group or without the client's sex.
 */
export function sitAndReachVersusYmcaAverage(cm: number, sex: Sex | null, age: number): number | null {
  if (sex === null || age < 18 || age > 25) return null;
  return cm - inchesToCm(YMCA_AVERAGE_INCHES_18_TO_25[sex]);
}
