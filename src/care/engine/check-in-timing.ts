/**
 * When the check-ins after a session happen. Pure. Each opens `hours` after the session ended, is reminded once
 * `reminderHours` after opening if still unanswered, and expires `expiryHours` after opening, or when the next
 * check-in opens if that is sooner (two open check-ins would ask the same thing twice). A reminder that would come
 * at or after the expiry comes half-way instead, so every check-in gets its one reminder.
 */

export interface CheckInTiming {
  /** Hours after the session ended, rising. */
  hours: readonly number[];
  reminderHours: number;
  expiryHours: number;
}

export interface PlannedCheckIn {
  seq: number;
  hoursAfter: number;
  dueAt: number;
  remindAt: number;
  expiresAt: number;
}

const HOUR = 3_600_000;

export function planCheckIns(sessionEndedAt: number, timing: CheckInTiming): PlannedCheckIn[] {
  if (timing.hours.some((h, i) => !Number.isInteger(h) || h < 1 || (i > 0 && h <= timing.hours[i - 1]!))) {
    throw new RangeError('check-in hours must be rising whole hours of 1 or more');
  }
  if (!(timing.reminderHours > 0 && timing.expiryHours > 0))
    throw new RangeError('reminder and expiry must be positive');
  return timing.hours.map((hoursAfter, i) => {
    const dueAt = sessionEndedAt + hoursAfter * HOUR;
    const next = timing.hours[i + 1];
    const expiresAt = Math.min(
      dueAt + timing.expiryHours * HOUR,
      next === undefined ? Infinity : sessionEndedAt + next * HOUR,
    );
    const remindAt = Math.min(dueAt + timing.reminderHours * HOUR, dueAt + Math.floor((expiresAt - dueAt) / 2));
    return { seq: i + 1, hoursAfter, dueAt, remindAt, expiresAt };
  });
}
