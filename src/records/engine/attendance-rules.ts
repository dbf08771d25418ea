/** A booking's attendance times, read from its state changes (when check-in and no-show are open: src/domain/attendance-windows.ts). */

export interface AttendanceEvent {
  toStatus: string;
  at: Date;
}

export interface Attendance {
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  noShowAt: Date | null;
}

/** The attendance times of a booking, read from its state changes (booking_events is where they are recorded). */
export function attendanceOf(events: readonly AttendanceEvent[]): Attendance {
  const at = (status: string) => events.find((e) => e.toStatus === status)?.at ?? null;
  return { checkedInAt: at('checked_in'), checkedOutAt: at('completed'), noShowAt: at('no_show') };
}
