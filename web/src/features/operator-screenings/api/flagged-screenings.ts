import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { FlaggedScreeningPage } from '../../../shared/lib/api-types';

export interface ScreeningFilters {
  outcome: string;
  clearance: string;
  status: string;
  therapistId: string;
  from: string;
  to: string;
  page: number;
}

/** Bookings whose screening is not `proceed`; every booking listed is an audited read of its client's screening. */
export function useFlaggedScreenings(filters: ScreeningFilters) {
  return useQuery({
    queryKey: ['flagged-screenings', filters],
    queryFn: () => api.get<FlaggedScreeningPage>('/api/operator/screenings', { ...filters, pageSize: 25 }),
    placeholderData: keepPreviousData,
  });
}
