import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENDANGERMENT_REFS, REGION_REFS } from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { FOCUS_REGIONS_EXCLUDED } from './contraindication-catalogue.js';
import { intakeArbitraries } from './intake-arbitraries.test-support.js';
import {
  type ScreeningDecision,
  outcomeRank,
  regionStrictness,
  requiredClearanceRuleIds,
  screen,
} from './screening-engine.js';

const SESSION_DATE = '2026-11-24';
const { intake, addition, plan, conditionKeys } = intakeArbitraries(SESSION_DATE);
const decide = (i: Intake, p: { regions: string[]; pressure: 1 | 2 | 3 | 4 | 5 }) =>
  screen(i, { date: SESSION_DATE, ...p });
const strictnessOf = (d: ScreeningDecision, ref: string) =>
  regionStrictness(d.restrictions.find((r) => r.region === ref));

describe('screening properties', () => {
  it('adding a condition, an injury or a surgery never makes the outcome, a region or the clearance needed less strict', () => {
    fc.assert(
      fc.property(
        intake.chain((base) => fc.tuple(fc.constant(base), addition(base))),
        plan,
        ([base, more], p) => {
          const before = decide(base, p);
          const after = decide(more, p);
          expect(outcomeRank(after.outcome)).toBeGreaterThanOrEqual(outcomeRank(before.outcome));
          for (const ref of REGION_REFS)
            expect(strictnessOf(after, ref), ref).toBeGreaterThanOrEqual(strictnessOf(before, ref));
          expect(requiredClearanceRuleIds(after)).toEqual(expect.arrayContaining(requiredClearanceRuleIds(before)));
          for (const planned of before.plan.regions) {
            const later = after.plan.regions.find((r) => r.region === planned.region)!;
            expect(later.allowedPressure ?? 0).toBeLessThanOrEqual(planned.allowedPressure ?? 0);
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('the strictest rule wins: each region is as strict as the strictest single condition, and so is the outcome', () => {
    fc.assert(
      fc.property(intake, plan, (whole, p) => {
        const combined = decide(whole, p);
        const singles = [
          ...conditionKeys
            .filter((k) => whole.conditions[k] !== undefined)
            .map((k): Intake => ({ ...whole, injuries: [], surgeries: [], conditions: { [k]: whole.conditions[k] } })),
          ...whole.injuries.map((i): Intake => ({ ...whole, injuries: [i], surgeries: [], conditions: {} })),
          ...whole.surgeries.map((s): Intake => ({ ...whole, injuries: [], surgeries: [s], conditions: {} })),
          { ...whole, injuries: [], surgeries: [], conditions: {} },
        ].map((single) => decide(single, p));
        for (const ref of REGION_REFS) {
          expect(strictnessOf(combined, ref), ref).toBe(Math.max(...singles.map((s) => strictnessOf(s, ref))));
        }
        const strictestSingle = Math.max(...singles.map((s) => outcomeRank(s.outcome)));
        // Only the combination rule can go further than any single condition: all focus regions removed together.
        if (combined.flags.some((f) => f.ruleId === FOCUS_REGIONS_EXCLUDED.id))
          expect(combined.outcome).toBe('not_today');
        else expect(outcomeRank(combined.outcome)).toBe(strictestSingle);
      }),
      { numRuns: 400 },
    );
  });

  it('always caps the endangerment sites at light pressure, and explains every flag', () => {
    fc.assert(
      fc.property(intake, plan, (i, p) => {
        const decision = decide(i, p);
        for (const ref of ENDANGERMENT_REFS) {
          const r = decision.restrictions.find((x) => x.region === ref);
          expect(r && (r.excluded || r.cap === 1), ref).toBe(true);
        }
        for (const flag of decision.flags) {
          expect(flag.sources.length, flag.ruleId).toBeGreaterThan(0);
          expect(['A', 'L', 'R']).toContain(flag.class);
          expect(flag.clientMessage.length).toBeGreaterThan(20);
        }
        expect(decision.clientMessages.length > 0).toBe(decision.outcome !== 'proceed');
        for (const planned of decision.plan.regions)
          expect(planned.allowedPressure ?? 0).toBeLessThanOrEqual(p.pressure);
      }),
      { numRuns: 400 },
    );
  });
});
