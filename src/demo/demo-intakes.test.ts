import { describe, expect, it } from 'vitest';
import { screen } from '../screening/engine/screening-engine.js';
import type { Pressure } from '../domain/screening-vocabulary.js';
import { defaultFocusRegions } from '../screening/engine/screening-engine.js';
import { demoIntakes } from './demo-intakes.js';
import { intakeSchema } from '../intake/engine/intake-schema.js';

describe('demo intakes', () => {
  const intakes = demoIntakes('2026-11-23');

  it('are valid consultations, one per demo client', () => {
    expect(intakes).toHaveLength(8);
    for (const intake of intakes) expect(intakeSchema.safeParse(intake).success).toBe(true);
  });

  it('give the demo a desk worker who may proceed, adaptations, and a clearance to verify, but nobody blocked', () => {
    const outcomes = intakes.map(
      (i) =>
        screen(i, { date: '2026-11-25', regions: defaultFocusRegions(i), pressure: i.pressure.preference as Pressure })
          .outcome,
    );
    expect(outcomes.slice(0, 4)).toEqual(['proceed', 'adapt', 'adapt', 'clearance_required']);
    expect(outcomes).not.toContain('not_today');
  });
});
