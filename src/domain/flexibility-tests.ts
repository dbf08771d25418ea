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
  {
    id: 'ake',
    name: 'Active knee extension',
    trials: 1,
    combine: 'single',
    perSide: true,
    unit: 'degrees',
    sources: ['AKE83', 'TOP-AKE', 'YIL'],
  },
  {
    id: 'slr',
    name: 'Passive straight leg raise',
    trials: 2,
    combine: 'mean',
    perSide: true,
    unit: 'degrees',
    sources: ['TOP-SLR', 'GAJ93'],
  },
  {
    id: 'sit_and_reach',
    name: 'Sit-and-reach (YMCA)',
    trials: 3,
    combine: 'best',
    perSide: false,
    unit: 'cm',
    sources: ['YMCA'],
  },
] as const satisfies readonly FlexibilityTest[];

export const FLEXIBILITY_TEST_IDS = FLEXIBILITY_TESTS.map((t) => t.id) as [FlexibilityTestId, ...FlexibilityTestId[]];

export function flexibilityTest(id: FlexibilityTestId): FlexibilityTest {
  return FLEXIBILITY_TESTS.find((t) => t.id === id)!;
}
