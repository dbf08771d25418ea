import { useQuery } from '@tanstack/react-query';
import { api } from './api-client';
import type { LicenceRow } from './api-types';

/** Therapists to filter by: everyone with a licence on file. */
export function useTherapistChoices() {
  return useQuery({
    queryKey: ['licences', ''],
    queryFn: () => api.get<LicenceRow[]>('/api/operator/licences'),
    select: (rows) => [...rows].sort((a, b) => a.displayName.localeCompare(b.displayName)),
  });
}
