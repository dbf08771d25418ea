import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingPage } from '../../../shared/lib/api-types';
import { addDays } from '../../../shared/lib/format';

const SCHEDULED = 'held,confirmed,checked_in,completed,no_show';

/**
 * The therapist's sessions between two local dates. The API filters by UTC date, so this asks one day wider
 * on each side and the screen keeps what falls on its local days.
 */
export function useScheduledBookings(from: string, to: string) {
  return useQuery({
    queryKey: ['bookings', 'schedule', from, to],
    queryFn: () => api.get<BookingPage>('/api/bookings', { status: SCHEDULED, from: addDays(from, -1), to: addDays(to, 1), pageSize: 100 }),
  });
}
