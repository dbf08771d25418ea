import { useMutation } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { SelfCheckInput, SelfCheckResult } from '../../../shared/lib/api-types';

/** The self-check's result: computed by the server from its catalogues; nothing is stored. */
export function useSelfCheck() {
  return useMutation({
    mutationFn: (answers: SelfCheckInput) => api.post<SelfCheckResult>('/api/self-check', answers),
  });
}
