import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOMES, screen } from './screening-engine.js';
import { SCREENING_ENTRIES, conditionOfRule } from './contraindication-catalogue.js';
import { clearanceGiverForStaff } from '../../domain/screening-vocabulary.js';
import { intakeArbitraries } from './intake-arbitraries.test-support.js';
import { staffHeadline, toDecisionView } from './screening-views.js';

const SESSION_DATE = '2026-11-24';
const { intake, plan } = intakeArbitraries(SESSION_DATE);
/** A rule or condition id as code writes it: `endangerment_sites`, `pregnancy.side_lying`. */
const CODE = /^[a-z0-9]+([._][a-z0-9]+)+$/;
const ADDRESSED_TO_CLIENT = /\b(you|your|yours)\b/i;

describe('what staff read about a screening', () => {
  it('speaks about the client, never to them', () => {
    for (const outcome of OUTCOMES)
      for (const urgency of [null, 'same_day', 'emergency'] as const)
        expect(staffHeadline(outcome, urgency)).not.toMatch(ADDRESSED_TO_CLIENT);
    const givers = SCREENING_ENTRIES.flatMap((e) =>
      e.rules.flatMap((r) => r.effects.flatMap((effect) => (effect.kind === 'clearance' ? [effect.from] : []))),
    );
    expect(givers.length).toBeGreaterThan(3);
    for (const from of givers) expect(clearanceGiverForStaff(from), from).not.toMatch(ADDRESSED_TO_CLIENT);
    expect(clearanceGiverForStaff('your cardiologist or doctor')).toBe("the client's cardiologist or doctor");
  });

  it('names the condition behind every limit in words, never a rule id', () => {
    for (const entry of SCREENING_ENTRIES)
      for (const rule of entry.rules) expect(conditionOfRule(rule.id), rule.id).not.toMatch(CODE);
    fc.assert(
      fc.property(intake, plan, (i, p) => {
        const view = toDecisionView(screen(i, { date: SESSION_DATE, ...p }));
        expect(view.staffHeadline).not.toMatch(ADDRESSED_TO_CLIENT);
        for (const r of view.restrictions) {
          expect(r.because.length).toBeGreaterThan(0);
          for (const words of r.because) expect(words).not.toMatch(CODE);
        }
      }),
      { numRuns: 300 },
    );
  });
});
