import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { DeadLetter } from '../../../shared/lib/api-types';

export function useDeadLetters() {
  return useQuery({
    queryKey: ['dead-letters'],
    queryFn: () => api.get<DeadLetter[]>('/api/operator/dead-letters'),
  });
}

export function useReplayDeadLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post(`/api/operator/dead-letters/${id}/replay`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['dead-letters'] }),
  });
}
