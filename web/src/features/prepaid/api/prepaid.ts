import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import type { GiftCardBalance, PackageCredits } from '../../../shared/lib/api-types';

export function useMyPackages() {
  return useQuery({
    queryKey: ['packages', 'mine'],
    queryFn: () => api.get<{ items: PackageCredits[] }>('/api/me/packages'),
  });
}

/** A balance check is asked for, not kept fresh: each check counts against the per-address limit. */
export function useGiftCardBalance() {
  return useMutation({
    mutationFn: (code: string) =>
      api.get<GiftCardBalance>(`/api/gift-cards/${encodeURIComponent(code.trim())}/balance`),
  });
}
