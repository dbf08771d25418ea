import { parseRegionRef } from '../../domain/body-regions.js';
import { type MeasureId, outcomeMeasure } from '../../domain/measure-catalogue.js';
import type { Series } from './progress.js';

/**
 * A measurable goal of a treatment plan: "right AKE under 20 degrees" is { measure: 'ake', key: 'right',
 * comparator: '<', target: 20 }; "NPRS low back at most 2" is { measure: 'nprs', key: 'low_back.left', '<=', 2 };
 * "PSFS 'run 5 km' at least 8" is { measure: 'psfs_activity', key: 'run 5 km', '>=', 8 }.
 */
export interface TreatmentGoal {
  measure: MeasureId;
  key: string | null;
  comparator: '<' | '<=' | '>' | '>=';
  target: number;
}

export function goalMet(goal: TreatmentGoal, value: number): boolean {
  switch (goal.comparator) {
    case '<':
      return value < goal.target;
    case '<=':
      return value <= goal.target;
    case '>':
      return value > goal.target;
    case '>=':
      return value >= goal.target;
  }
}

export interface GoalProblem {
  field: 'comparator' | 'target';
  code: 'goal_points_the_wrong_way' | 'target_out_of_range';
  message: string;
}

/** A goal must aim the way the measure improves and at a value the measure can take. */
export function goalProblem(goal: TreatmentGoal): GoalProblem | null {
  const measure = outcomeMeasure(goal.measure);
  const aimsLower = goal.comparator === '<' || goal.comparator === '<=';
  if (aimsLower !== (measure.better === 'lower')) {
    return {
      field: 'comparator',
      code: 'goal_points_the_wrong_way',
      message: `For ${measure.name}, ${measure.better} is better, so the goal should aim ${measure.better}`,
    };
  }
  if (goal.target < measure.min || goal.target > measure.max) {
    return {
      field: 'target',
      code: 'target_out_of_range',
      message: `${measure.name} runs from ${measure.min} to ${measure.max}`,
    };
  }
  return null;
}

export interface GoalProgress {
  /** The latest value meets the goal. */
  achieved: boolean;
  /**
   * How much of the way from the baseline to the target the latest value has come, 0..100, in whole percent.
   * 100 only when the goal is met; a series that starts at or beyond the target and no longer meets it is at 0.
   * Null when there is no measurement yet.
   */
  percentOfWay: number | null;
  baseline: number | null;
  latest: number | null;
}

export function goalProgress(goal: TreatmentGoal, series: Series): GoalProgress {
  const baseline = series.points[0]?.value ?? null;
  const latest = series.points[series.points.length - 1]?.value ?? null;
  if (baseline === null || latest === null) return { achieved: false, percentOfWay: null, baseline, latest };
  if (goalMet(goal, latest)) return { achieved: true, percentOfWay: 100, baseline, latest };
  const distance = goal.target - baseline;
  const covered = latest - baseline;
  // A goal already met at baseline has no way to cover, so losing it again is no progress.
  const share = goalMet(goal, baseline) || distance === 0 ? 0 : covered / distance;
  return { achieved: false, percentOfWay: Math.min(99, Math.max(0, Math.floor(share * 100))), baseline, latest };
}

const COMPARATOR_WORDS = { '<': 'under', '<=': 'at most', '>': 'over', '>=': 'at least' } as const;
const UNIT_SUFFIX = { points: '', percent: '%', degrees: '°', cm: ' cm' } as const;

/** The goal in words: "Active knee extension (hamstrings), right: under 20°". */
export function describeGoal(goal: TreatmentGoal): string {
  const measure = outcomeMeasure(goal.measure);
  const about = goal.key === null ? '' : `, ${describeKey(measure.keyedBy, goal.key)}`;
  return `${measure.name}${about}: ${COMPARATOR_WORDS[goal.comparator]} ${goal.target}${UNIT_SUFFIX[measure.unit]}`;
}

function describeKey(kind: string, key: string): string {
  if (kind === 'region') {
    const parsed = parseRegionRef(key);
    if (parsed)
      return parsed.side ? `${parsed.region.label.toLowerCase()} (${parsed.side})` : parsed.region.label.toLowerCase();
  }
  if (kind === 'activity') return `"${key}"`;
  return key;
}
