import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingPage, WorkingTime } from '../../../shared/lib/api-types';
import { addDays } from '../../../shared/lib/format';

const SCHEDULED = 'held,awaiting_clearance,confirmed,checked_in,completed,no_show';

/**
 * The therapist's sessions between two local dates. The API filters by UTC date, so this asks one day wider
 * on each side and the screen keeps what falls on its local days.
 */
export function useScheduledBookings(from: string, to: string) {
  return useQuery({
    queryKey: ['bookings', 'schedule', from, to],
    queryFn: () =>
      api.get<BookingPage>('/api/bookings', {
        status: SCHEDULED,
        from: addDays(from, -1),
        to: addDays(to, 1),
        pageSize: 100,
      }),
  });
}

/**
 * The therapist's working time on each local date from `from` to `to`, as search and booking see it, and on the
 * day after, for a session on the last day that runs past midnight.
 */
export function useWorkingTime(from: string, to: string) {
  return useQuery({
    queryKey: ['working-time', from, to],
    queryFn: () => api.get<WorkingTime>('/api/therapists/me/working-time', { from, to: addDays(to, 1) }),
  });
}
