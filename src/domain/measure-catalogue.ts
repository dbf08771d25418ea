/**
 * The outcome measures Knotwork tracks over a course of sessions (clinical reference, section 4): what each one
 * records, which way is better, and what counts as a meaningful change, exactly as the reference defines it.
 * Where the reference defines no meaningful change (the flexibility tests), the rule says so and progress reports
 * the change without calling it meaningful: we do not invent clinical thresholds.
 */

export type MeasureId = 'nprs' | 'psfs' | 'psfs_activity' | 'odi' | 'ndi' | 'ake' | 'slr' | 'sit_and_reach';

/** Which way a value moves when the client gets better. */
export type BetterDirection = 'lower' | 'higher';

export type MeaningfulChangeRule =
  /** Meaningful when the change reaches `points`, or `percent` of the baseline value, whichever comes first. */
  | { kind: 'points_or_percent'; points: number; percent: number }
  | { kind: 'points'; points: number }
  | { kind: 'not_defined'; why: string };

/** What a series of this measure is kept per: a body region, a side, a client-chosen activity, or nothing. */
export type MeasureKeyKind = 'region' | 'side' | 'activity' | 'none';

export interface OutcomeMeasure {
  id: MeasureId;
  name: string;
  unit: 'points' | 'percent' | 'degrees' | 'cm';
  min: number;
  max: number;
  /** Whether a single recorded value must be a whole number. */
  wholeNumbers: boolean;
  better: BetterDirection;
  meaningfulChange: MeaningfulChangeRule;
  keyedBy: MeasureKeyKind;
  sources: readonly string[];
}

const NO_THRESHOLD_IN_REFERENCE =
  'The clinical reference gives no measurement error or minimal important change for this test, so Knotwork reports the change without calling it meaningful.';

export const OUTCOME_MEASURES = [
  {
    id: 'nprs',
    name: 'Pain (numeric rating, 0-10)',
    unit: 'points',
    min: 0,
    max: 10,
    wholeNumbers: true,
    better: 'lower',
    meaningfulChange: { kind: 'points_or_percent', points: 2, percent: 30 },
    keyedBy: 'region',
    sources: ['CHILDS', 'OST08'],
  },
  {
    id: 'psfs',
    name: 'Patient-Specific Functional Scale (average)',
    unit: 'points',
    min: 0,
    max: 10,
    wholeNumbers: false,
    better: 'higher',
    meaningfulChange: { kind: 'points', points: 2 },
    keyedBy: 'none',
    sources: ['PSFS'],
  },
  {
    id: 'psfs_activity',
    name: 'Patient-Specific Functional Scale (one activity)',
    unit: 'points',
    min: 0,
    max: 10,
    wholeNumbers: true,
    better: 'higher',
    meaningfulChange: { kind: 'points', points: 3 },
    keyedBy: 'activity',
    sources: ['PSFS'],
  },
  {
    id: 'odi',
    name: 'Oswestry Disability Index',
    unit: 'percent',
    min: 0,
    max: 100,
    wholeNumbers: false,
    better: 'lower',
    meaningfulChange: { kind: 'points_or_percent', points: 10, percent: 30 },
    keyedBy: 'none',
    sources: ['ODI-score', 'ODI-bands', 'OST08'],
  },
  {
    id: 'ndi',
    name: 'Neck Disability Index',
    unit: 'points',
    min: 0,
    max: 50,
    wholeNumbers: false,
    better: 'lower',
    // The reference: "~5 points (MDC 4.7)". Totals are whole points unless an item was skipped, so 5 is the
    // smallest whole-point change beyond the measurement error; prorated totals are held to the same 5.
    meaningfulChange: { kind: 'points', points: 5 },
    keyedBy: 'none',
    sources: ['NDI', 'NDI-MDC'],
  },
  {
    id: 'ake',
    name: 'Active knee extension (hamstrings)',
    unit: 'degrees',
    min: 0,
    max: 90,
    wholeNumbers: false,
    better: 'lower',
    meaningfulChange: { kind: 'not_defined', why: NO_THRESHOLD_IN_REFERENCE },
    keyedBy: 'side',
    sources: ['AKE83', 'TOP-AKE', 'YIL'],
  },
  {
    id: 'slr',
    name: 'Passive straight leg raise',
    unit: 'degrees',
    min: 0,
    max: 180,
    wholeNumbers: false,
    better: 'higher',
    meaningfulChange: { kind: 'not_defined', why: NO_THRESHOLD_IN_REFERENCE },
    keyedBy: 'side',
    sources: ['TOP-SLR', 'GAJ93'],
  },
  {
    id: 'sit_and_reach',
    name: 'Sit-and-reach (YMCA)',
    unit: 'cm',
    min: 0,
    // The YMCA test reads the reach off a yardstick: 36 in.
    max: 91.44,
    wholeNumbers: false,
    better: 'higher',
    meaningfulChange: { kind: 'not_defined', why: NO_THRESHOLD_IN_REFERENCE },
    keyedBy: 'none',
    sources: ['YMCA'],
  },
] as const satisfies readonly OutcomeMeasure[];

const byId = new Map<string, OutcomeMeasure>(OUTCOME_MEASURES.map((measure) => [measure.id, measure]));

export const MEASURE_IDS = OUTCOME_MEASURES.map((measure) => measure.id) as [MeasureId, ...MeasureId[]];

export function outcomeMeasure(id: MeasureId): OutcomeMeasure {
  return byId.get(id)!;
}

/** The rule in words, for charts and notes: "at least 2 points or 30% of the starting value". */
export function describeMeaningfulChange(rule: MeaningfulChangeRule): string {
  switch (rule.kind) {
    case 'points_or_percent':
      return `a change of at least ${rule.points} points or ${rule.percent}% of the starting value`;
    case 'points':
      return `a change of at least ${rule.points} points`;
    case 'not_defined':
      return 'no meaningful-change threshold defined';
  }
}
