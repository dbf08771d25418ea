import { z } from 'zod';
import { MEASURE_IDS, outcomeMeasure } from '../../domain/measure-catalogue.js';
import { measurementProblem } from '../../outcomes/engine/measurement.js';
import type { SeriesReport } from '../../outcomes/engine/progress-report.js';
import { psfsActivityKey } from '../../outcomes/engine/psfs.js';
import {
  type GoalProgress,
  describeGoal,
  goalProblem,
  goalProgress,
  type TreatmentGoal,
} from '../../outcomes/engine/treatment-goals.js';
import { isoDate } from '../../therapists/engine/therapist-schemas.js';

/**
 * A treatment plan: measurable goals (outcomes/treatment-goals.ts), how often and how many sessions, and when to
 * review it. A goal in the client's own words ("run 5 km without hamstring pain") is a PSFS activity goal: the
 * activity is the key, rated 0-10 at later sessions, with a target such as "at least 8".
 */

export interface PlanGoal extends TreatmentGoal {
  /** The goal as the client or therapist would say it; shown next to the measured form. */
  label: string | null;
}

const goalSchema = z
  .object({
    measure: z.enum(MEASURE_IDS),
    key: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .describe(
        'A body region for pain (nprs), "left"/"right" for AKE and SLR, the activity for psfs_activity, null for whole-person measures',
      ),
    comparator: z.enum(['<', '<=', '>', '>=']),
    target: z.number().finite(),
    label: z.string().trim().max(200).nullish().describe('In words, e.g. "Run 5 km without hamstring pain"'),
  })
  .strict()
  .superRefine((goal, ctx) => {
    const keyProblem = measurementProblem({
      measure: goal.measure,
      key: goal.key,
      value: outcomeMeasure(goal.measure).min,
    });
    if (keyProblem)
      ctx.addIssue({ code: 'custom', path: ['key'], message: keyProblem.message, params: { code: keyProblem.code } });
    const problem = goalProblem({ ...goal, key: goal.key });
    if (problem)
      ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message, params: { code: problem.code } });
  });

export const treatmentPlanBody = z
  .object({
    goals: z
      .array(goalSchema)
      .min(1)
      .max(6)
      .superRefine((goals, ctx) => {
        const seen = new Set<string>();
        goals.forEach((g, i) => {
          const id = `${g.measure}\u0000${planGoalKey(g.measure, g.key)}`;
          if (seen.has(id))
            ctx.addIssue({
              code: 'custom',
              path: [i, 'key'],
              message: 'One goal per measure and region, side or activity',
              params: { code: 'duplicate_goal' },
            });
          seen.add(id);
        });
      }),
    frequency: z
      .object({ sessions: z.number().int().min(1).max(7), per: z.enum(['week', 'fortnight', 'month']) })
      .strict()
      .describe('e.g. 2 sessions per week'),
    plannedSessions: z.number().int().min(1).max(52),
    reviewOn: isoDate.describe('When to look at the plan again (the therapist’s local date)'),
    notes: z.string().trim().max(2000).optional(),
  })
  .strict();

export type TreatmentPlanBody = z.infer<typeof treatmentPlanBody>;

/** Activity goals are kept under the activity's normalised key, so they meet the activity's PSFS series. */
export function planGoalKey(measure: string, key: string | null): string | null {
  return measure === 'psfs_activity' && key !== null ? psfsActivityKey(key) : key;
}

export function toPlanGoals(body: TreatmentPlanBody): PlanGoal[] {
  return body.goals.map((g) => ({
    measure: g.measure,
    key: planGoalKey(g.measure, g.key),
    comparator: g.comparator,
    target: g.target,
    label: g.label ?? null,
  }));
}

export interface GoalReport {
  goal: PlanGoal;
  description: string;
  progress: GoalProgress & { measurements: number };
}

/** Each goal against the client's series of its measure (as charted), with how far it has come. */
export function goalReports(goals: readonly PlanGoal[], report: readonly SeriesReport[]): GoalReport[] {
  return goals.map((goal) => {
    const series = report.find((s) => s.measure === goal.measure && s.key === goal.key);
    const points = series?.points.map((p) => ({ sessionDate: p.sessionDate, value: p.value })) ?? [];
    return {
      goal,
      description: describeGoal(goal),
      progress: {
        ...goalProgress(goal, { measure: goal.measure, key: goal.key, points }),
        measurements: points.length,
      },
    };
  });
}
