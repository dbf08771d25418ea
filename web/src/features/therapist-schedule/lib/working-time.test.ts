import { describe, expect, it } from 'vitest';
import type { WorkingInterval } from '../../../shared/lib/api-types';
import { hoursWithBreaks, isWithinWorkingTime, overrideLabel } from './working-time';

const STUDIO = { mode: 'studio', studioId: '5f0c0000-0000-4000-8000-000000000001', name: 'Chelsea Bodywork' } as const;
const at = (start: string, end: string, place: WorkingInterval['place'] = STUDIO): WorkingInterval => ({
  start: `2026-11-24T${start}:00.000Z`,
  end: `2026-11-24T${end}:00.000Z`,
  place,
});
const session = (start: string, end: string, mode: 'studio' | 'home' = 'studio') => ({
  mode,
  studio: mode === 'studio' ? { id: STUDIO.studioId, name: STUDIO.name } : null,
  startsAt: `2026-11-24T${start}:00.000Z`,
  endsAt: `2026-11-24T${end}:00.000Z`,
});

describe('hoursWithBreaks', () => {
  it('puts the gap of a split shift between its two parts, and none between intervals that meet', () => {
    const rows = hoursWithBreaks([at('14:00', '17:00'), at('18:00', '22:00'), at('22:00', '23:00', { mode: 'home' })]);
    expect(rows.map((r) => `${r.kind} ${r.start.slice(11, 16)}–${r.end.slice(11, 16)}`)).toEqual([
      'working 14:00–17:00',
      'break 17:00–18:00',
      'working 18:00–22:00',
      'working 22:00–23:00',
    ]);
  });

  it('has no rows on a day without working time', () => {
    expect(hoursWithBreaks([])).toEqual([]);
  });
});

describe('isWithinWorkingTime', () => {
  const working = [at('14:00', '17:00'), at('17:00', '18:00'), at('19:00', '21:00', { mode: 'home' })];

  it('is true for a session inside working time at its place, also across intervals that meet', () => {
    expect(isWithinWorkingTime(session('14:00', '15:00'), working)).toBe(true);
    expect(isWithinWorkingTime(session('16:30', '17:30'), working)).toBe(true);
    expect(isWithinWorkingTime(session('19:00', '20:00', 'home'), working)).toBe(true);
  });

  it('is false for a session that runs past working time, is at another place, or is on a day without hours', () => {
    expect(isWithinWorkingTime(session('17:30', '18:30'), working)).toBe(false);
    expect(isWithinWorkingTime(session('13:30', '14:30'), working)).toBe(false);
    expect(isWithinWorkingTime(session('19:00', '20:00'), working)).toBe(false);
    expect(isWithinWorkingTime(session('15:00', '16:00', 'home'), working)).toBe(false);
    expect(isWithinWorkingTime(session('15:00', '16:00'), [])).toBe(false);
  });
});

describe('overrideLabel', () => {
  it('names each kind of override, with its note', () => {
    expect(overrideLabel({ kind: 'off', intervals: [], note: 'Conference' })).toBe('Day off · Conference');
    expect(overrideLabel({ kind: 'off', intervals: [{ start: '12:00', end: '14:00' }], note: null })).toBe('Time off');
    expect(
      overrideLabel({
        kind: 'extra',
        intervals: [{ start: '18:00', end: '20:00', place: { mode: 'home' } }],
        note: 'Evening clinic',
      }),
    ).toBe('Extra hours · Evening clinic');
  });

  it('does not repeat a note that only names the kind', () => {
    expect(overrideLabel({ kind: 'off', intervals: [], note: 'Day off' })).toBe('Day off');
    expect(overrideLabel({ kind: 'off', intervals: [], note: ' ' })).toBe('Day off');
  });
});
