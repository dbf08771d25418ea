import { describe, expect, it } from 'vitest';
import { attendanceBlocks } from './attendance-windows';

const booking = { startsAt: '2026-11-24T15:00:00.000Z', endsAt: '2026-11-24T16:00:00.000Z' };
const at = (iso: string) => Date.parse(iso);
const zone = 'America/New_York';

describe('attendanceBlocks', () => {
  it('explains, with the local time, why check-in and no-show are not open yet', () => {
    expect(attendanceBlocks(booking, at('2026-11-24T14:29:00Z'), zone, zone)).toEqual({
      checkIn: 'Check-in opens at 9:30 AM, 30 minutes before the start.',
      noShow: 'A no-show can be recorded from 10:15 AM, 15 minutes after the start, if the client has not come.',
    });
  });

  it('opens check-in 30 minutes before the start and the no-show 15 minutes after it', () => {
    expect(attendanceBlocks(booking, at('2026-11-24T14:30:00Z'), zone, zone).checkIn).toBeNull();
    expect(attendanceBlocks(booking, at('2026-11-24T15:14:00Z'), zone, zone)).toMatchObject({
      checkIn: null,
      noShow: expect.any(String),
    });
    expect(attendanceBlocks(booking, at('2026-11-24T15:15:00Z'), zone, zone)).toEqual({ checkIn: null, noShow: null });
  });

  it('closes check-in at the booked end', () => {
    expect(attendanceBlocks(booking, at('2026-11-24T16:00:00Z'), zone, zone)).toEqual({
      checkIn: 'The booked time ended at 11:00 AM: record a no-show instead, or ask an operator.',
      noShow: null,
    });
  });
});
