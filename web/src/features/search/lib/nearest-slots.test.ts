import { describe, expect, it } from 'vitest';
import { nearestSlots } from './nearest-slots';

const at = (hhmm: string, day = '24') => `2026-11-${day}T${hhmm}:00.000Z`;

describe('nearest open times', () => {
  it('takes the times closest to the one that was taken, on either side, and lists them in time order', () => {
    const slots = [at('13:00'), at('14:00'), at('14:15'), at('14:45'), at('15:00'), at('19:00'), at('14:30', '25')];
    expect(nearestSlots(slots, at('14:30'), 4)).toEqual([at('14:00'), at('14:15'), at('14:45'), at('15:00')]);
  });

  it('prefers the earlier time when two are as near, and reaches into other days when the day is full', () => {
    expect(nearestSlots([at('15:00'), at('14:00'), at('09:00', '26')], at('14:30'), 1)).toEqual([at('14:00')]);
    expect(nearestSlots([at('09:00', '25'), at('09:00', '27')], at('14:30'), 3)).toEqual([
      at('09:00', '25'),
      at('09:00', '27'),
    ]);
  });

  it('is empty when there is nothing open', () => {
    expect(nearestSlots([], at('14:30'), 8)).toEqual([]);
  });
});
