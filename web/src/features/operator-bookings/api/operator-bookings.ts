import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { BookingPage } from '../../../shared/lib/api-types';

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
