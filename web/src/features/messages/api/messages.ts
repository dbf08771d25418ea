import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { Message } from '../../../shared/lib/api-types';

export function useMessages() {
  return useQuery({
    queryKey: ['messages'],
    queryFn: () => api.get<{ items: Message[] }>('/api/messages', { pageSize: 50 }),
  });
}
