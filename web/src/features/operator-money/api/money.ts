import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../shared/lib/api-client';
import type { MarketMoney, MarketMoneyInput, OperatorMoney, Payout, PayoutInput } from '../../../shared/lib/api-types';

export function useOperatorMoney(market: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: ['operator-money', market, from, to],
    queryFn: () => api.get<OperatorMoney>('/api/operator/money', { market: market!, from, to }),
    enabled: market !== undefined,
  });
}

export const operatorMoneyCsvUrl = (market: string, from: string, to: string) =>
  withQuery('/api/operator/money.csv', { market, from, to });

export function useMarketMoney(market: string | undefined) {
  return useQuery({
    queryKey: ['market-money', market],
    queryFn: () => api.get<MarketMoney>(`/api/operator/markets/${encodeURIComponent(market!)}/money`),
    enabled: market !== undefined,
  });
}

export function useSetMarketMoney(market: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (terms: MarketMoneyInput) =>
      api.put<MarketMoney>(`/api/operator/markets/${encodeURIComponent(market)}/money`, terms),
    onSuccess: (saved) => client.setQueryData(['market-money', market], saved),
  });
}

export function useRecordPayout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (payout: PayoutInput) => api.post<Payout>('/api/operator/payouts', payout),
    onSuccess: () => client.invalidateQueries({ queryKey: ['operator-money'] }),
  });
}
