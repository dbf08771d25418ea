import { describe, expect, it } from 'vitest';
import { type ClientSeries, improvementShareByTherapist } from './improvement-share.js';

const client = (therapistId: string, clientId: string, ...values: number[]): ClientSeries => ({
  therapistId,
  clientId,
  points: values.map((value, i) => ({ sessionDate: `2026-11-${String(i + 1).padStart(2, '0')}`, value })),
});

describe('improvementShareByTherapist', () => {
  it('counts clients whose value N sessions after baseline is a meaningful improvement', () => {
    const rows = improvementShareByTherapist('nprs', 3, [
      client('t1', 'a', 7, 6, 5, 4), // -3 after 3 sessions: improved
      client('t1', 'b', 6, 6, 6, 5, 2), // -1 after 3 sessions (the later drop does not count)
      client('t1', 'c', 8, 7), // not yet 3 sessions after baseline
      client('t2', 'a', 3, 3, 2, 2), // -1 of 3 is 33%: improved
      client('t2', 'd', 4, 5, 6, 7), // worse
    ]);
    expect(rows).toEqual([
      { therapistId: 't1', eligible: 2, improved: 1, share: 0.5, tooFewSessions: 1 },
      { therapistId: 't2', eligible: 2, improved: 1, share: 0.5, tooFewSessions: 0 },
    ]);
  });

  it('has no share for a therapist without eligible clients', () => {
    expect(improvementShareByTherapist('odi', 4, [client('t1', 'a', 40, 30)])).toEqual([
      { therapistId: 't1', eligible: 0, improved: 0, share: null, tooFewSessions: 1 },
    ]);
  });

  it('uses the direction of the measure: PSFS improves upwards', () => {
    expect(improvementShareByTherapist('psfs', 1, [client('t1', 'a', 3, 6), client('t1', 'b', 6, 3)])[0]).toMatchObject(
      { improved: 1, eligible: 2 },
    );
  });

  it('refuses measures without a meaningful-change rule, bad N and duplicate series', () => {
    expect(() => improvementShareByTherapist('ake', 2, [])).toThrow(RangeError);
    expect(() => improvementShareByTherapist('nprs', 0, [])).toThrow(RangeError);
    expect(() => improvementShareByTherapist('nprs', 1, [client('t1', 'a', 5, 3), client('t1', 'a', 6, 2)])).toThrow(
      RangeError,
    );
  });
});
