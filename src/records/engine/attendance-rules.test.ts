import { describe, expect, it } from 'vitest';
import { attendanceOf } from './attendance-rules.js';
import {
  checkInClosed,
  checkInTimingProblem,
  noShowOpensAt,
  noShowTimingProblem,
} from '../../domain/attendance-windows.js';

const start = Date.parse('2026-11-24T15:00:00Z');
const session = { startsAt: start, endsAt: start + 60 * 60_000 };
const minutes = (n: number) => start + n * 60_000;

describe('check-in timing', () => {
  it('opens 30 minutes before the start and closes at the booked end', () => {
    expect(checkInTimingProblem(session, minutes(-31))).toMatch(/opens 30 minutes before/);
    expect(checkInTimingProblem(session, minutes(-30))).toBeNull();
    expect(checkInTimingProblem(session, minutes(10))).toBeNull();
    expect(checkInTimingProblem(session, minutes(59))).toBeNull();
    expect(checkInTimingProblem(session, minutes(60))).toMatch(/no-show/);
  });

  it('says when it opens, or that it has closed, for the buttons to explain themselves', () => {
    expect(checkInClosed(session, minutes(-31))).toEqual({ why: 'not_yet', opensAt: minutes(-30) });
    expect(checkInClosed(session, minutes(-30))).toBeNull();
    expect(checkInClosed(session, minutes(60))).toEqual({ why: 'over', closedAt: minutes(60) });
  });

  it('is closed on any other day', () => {
    expect(checkInTimingProblem(session, minutes(-24 * 60))).not.toBeNull();
    expect(checkInTimingProblem(session, minutes(24 * 60))).not.toBeNull();
  });
});

describe('no-show timing', () => {
  it('waits for the 15-minute grace period after the start', () => {
    expect(noShowTimingProblem(session, minutes(0))).toMatch(/15 minutes after the start/);
    expect(noShowTimingProblem(session, minutes(14))).not.toBeNull();
    expect(noShowTimingProblem(session, minutes(15))).toBeNull();
    expect(noShowTimingProblem(session, minutes(3 * 24 * 60))).toBeNull();
    expect(noShowOpensAt(session, minutes(14))).toBe(minutes(15));
    expect(noShowOpensAt(session, minutes(15))).toBeNull();
  });
});

describe('attendanceOf', () => {
  it('reads the times of check-in, check-out and no-show from the state changes', () => {
    const events = [
      { toStatus: 'held', at: new Date(minutes(-3000)) },
      { toStatus: 'confirmed', at: new Date(minutes(-2990)) },
      { toStatus: 'checked_in', at: new Date(minutes(-5)) },
      { toStatus: 'completed', at: new Date(minutes(62)) },
    ];
    expect(attendanceOf(events)).toEqual({
      checkedInAt: new Date(minutes(-5)),
      checkedOutAt: new Date(minutes(62)),
      noShowAt: null,
    });
    expect(attendanceOf([{ toStatus: 'no_show', at: new Date(minutes(20)) }])).toEqual({
      checkedInAt: null,
      checkedOutAt: null,
      noShowAt: new Date(minutes(20)),
    });
  });
});
