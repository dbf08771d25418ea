import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../shared/lib/api-client';
import type { Earnings } from '../../../shared/lib/api-types';

export function useEarnings(from: string, to: string) {
  return useQuery({
    queryKey: ['earnings', from, to],
    queryFn: () => api.get<Earnings>('/api/therapists/me/earnings', { from, to }),
  });
}

/** The CSV of the same period, for a download link. */
export const earningsCsvUrl = (from: string, to: string) => withQuery('/api/therapists/me/earnings.csv', { from, to });
