/**
 * The three flexibility tests a therapist can record in a note (clinical reference, section 4): how many trials
 * each protocol takes and how they combine into the recorded value.
 *
 * - Active knee extension [AKE83, TOP-AKE, YIL]: supine, hip held at 90 degrees, the client straightens the knee;
 *   the value is the knee flexion remaining, in degrees (lower is better). One measurement per side.
 * - Passive straight leg raise [TOP-SLR, GAJ93]: hip angle from horizontal with the knee straight, mean of two
 *   trials per side (higher is better).
 * - Sit-and-reach, YMCA protocol [YMCA]: the best of three reaches, in cm (higher is better). The YMCA reads the
 *   reach off a yardstick with the heels at the 15-inch mark, so its norms only apply to that set-up.
 */

export type FlexibilityTestId = 'ake' | 'slr' | 'sit_and_reach';

export interface FlexibilityTest {
  id: FlexibilityTestId;
  name: string;
  trials: number;
  combine: 'single' | 'mean' | 'best';
  perSide: boolean;
  unit: 'degrees' | 'cm';
  sources: readonly string[];
}

export const FLEXIBILITY_TESTS = [
  { id: 'ake', name: 'Active knee extension', trials: 1, combine: 'single', perSide: true, unit: 'degrees', sources: ['AKE83', 'TOP-AKE', 'YIL'] },
  { id: 'slr', name: 'Passive straight leg raise', trials: 2, combine: 'mean', perSide: true, unit: 'degrees', sources: ['TOP-SLR', 'GAJ93'] },
  { id: 'sit_and_reach', name: 'Sit-and-reach (YMCA)', trials: 3, combine: 'best', perSide: false, unit: 'cm', sources: ['YMCA'] },
] as const satisfies readonly FlexibilityTest[];

export const FLEXIBILITY_TEST_IDS = FLEXIBILITY_TESTS.map((t) => t.id) as [FlexibilityTestId, ...FlexibilityTestId[]];

export function flexibilityTest(id: FlexibilityTestId): FlexibilityTest {
  return FLEXIBILITY_TESTS.find((t) => t.id === id)!;
}

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
