import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { LicenceRow } from '../../../shared/lib/api-types';

export type LicenceStatus = LicenceRow['licenceStatus'];

export function useLicences(status: LicenceStatus | '') {
  return useQuery({
    queryKey: ['licences', status],
    queryFn: () => api.get<LicenceRow[]>('/api/operator/licences', status ? { status } : {}),
  });
}

export function useReviewLicence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      therapistId,
      decision,
      note,
    }: {
      therapistId: string;
      decision: 'approve' | 'reject';
      note: string;
    }) =>
      api.post(`/api/operator/licences/${therapistId}/review`, {
        decision,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['licences'] }),
  });
}
