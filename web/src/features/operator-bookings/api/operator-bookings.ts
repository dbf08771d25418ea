import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingPage, LicenceRow } from '../../../shared/lib/api-types';

export interface BookingFilters {
  status: string;
  therapistId: string;
  from: string;
  to: string;
  page: number;
}

export function useAllBookings(filters: BookingFilters) {
  return useQuery({
    queryKey: ['operator-bookings', filters],
    queryFn: () => api.get<BookingPage>('/api/operator/bookings', { ...filters, pageSize: 25 }),
    placeholderData: keepPreviousData,
  });
}

/** Therapists to filter by: everyone with a licence on file. */
export function useTherapistChoices() {
  return useQuery({
    queryKey: ['licences', ''],
    queryFn: () => api.get<LicenceRow[]>('/api/operator/licences'),
    select: (rows) => [...rows].sort((a, b) => a.displayName.localeCompare(b.displayName)),
  });
}
