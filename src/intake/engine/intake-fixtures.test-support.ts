import type { Intake } from './intake-schema.js';

/** A healthy desk worker with tight hamstrings and low-back knots: no conditions, both consents. */
export function deskWorkerIntake(overrides: Partial<Intake> = {}): Intake {
  return {
    bodyMap: [
      { region: 'hamstrings.left', tightness: 8, pain: 3 },
      { region: 'hamstrings.right', tightness: 7, pain: 2 },
      { region: 'low_back.left', tightness: 6, pain: 5, note: 'Knots that hurt when pressed' },
    ],
    goals: ['Touch my toes again', 'Sit through a workday without back pain'],
    activity: { level: 'light', deskHoursPerDay: 9 },
    causes: ['posture', 'inactivity'],
    injuries: [],
    surgeries: [],
    medications: [],
    conditions: {},
    pressure: { preference: 4, avoidRegions: [] },
    consent: { treatment: true, dataProcessing: true },
    ...overrides,
  };
}

export function withConditions(conditions: Intake['conditions'], overrides: Partial<Intake> = {}): Intake {
  return deskWorkerIntake({ ...overrides, conditions });
}
