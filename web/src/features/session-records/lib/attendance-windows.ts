import {
  CHECK_IN_OPENS_MIN_BEFORE,
  NO_SHOW_GRACE_MIN,
  checkInClosed,
  noShowOpensAt,
} from '../../../../../src/domain/attendance-windows';
import { browserZone, timeInZone } from '../../../shared/lib/format';

/**
 * Why the check-in and no-show buttons cannot be used at `now`, in words with the session's local times, or null
 * when they can. The windows are the server's own rules (src/domain/attendance-windows.ts), which still decide.
 */
export function attendanceBlocks(
  booking: { startsAt: string; endsAt: string },
  now: number,
  zone: string,
  readerZone = browserZone(),
): { checkIn: string | null; noShow: string | null } {
  const session = { startsAt: Date.parse(booking.startsAt), endsAt: Date.parse(booking.endsAt) };
  const at = (instant: number) => timeInZone(new Date(instant).toISOString(), zone, 'time', readerZone);
  const closed = checkInClosed(session, now);
  const noShowFrom = noShowOpensAt(session, now);
  return {
    checkIn:
      closed === null
        ? null
        : closed.why === 'not_yet'
          ? `Check-in opens at ${at(closed.opensAt)}, ${CHECK_IN_OPENS_MIN_BEFORE} minutes before the start.`
          : `The booked time ended at ${at(closed.closedAt)}: record a no-show instead, or ask an operator.`,
    noShow:
      noShowFrom === null
        ? null
        : `A no-show can be recorded from ${at(noShowFrom)}, ${NO_SHOW_GRACE_MIN} minutes after the start, if the client has not come.`,
  };
}
