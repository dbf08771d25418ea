import { useQuery } from '@tanstack/react-query';
import { api } from './api-client';
import type { Market, Neighbourhood } from './api-types';

export type { Market, Neighbourhood };

export function useMarkets() {
  return useQuery({
    queryKey: ['markets'],
    queryFn: () => api.get<Market[]>('/api/markets'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * The neighbourhoods to pick from: the named market's, or every market's when none is named (or it is unknown).
 * Empty until the markets have loaded.
 */
export function placesOf(markets: readonly Market[] | undefined, marketId?: string): Neighbourhood[] {
  const all = markets ?? [];
  const market = marketId === undefined ? undefined : all.find((m) => m.id === marketId);
  return market ? market.neighbourhoods : all.flatMap((m) => m.neighbourhoods);
}

/**
 * The distance unit of the market a point lies in (the one whose centre is nearest; markets are metro areas far
 * apart): miles in US markets. Null until the markets have loaded, so nothing is shown or searched in the wrong unit.
 */
export function useDistanceUnit(where: { lat: number; lng: number }): Market['distanceUnit'] | null {
  const markets = useMarkets();
  if (!markets.data) return markets.isError ? 'km' : null;
  const squared = (m: Market) => (m.center.lat - where.lat) ** 2 + (m.center.lng - where.lng) ** 2;
  return [...markets.data].sort((a, b) => squared(a) - squared(b))[0]?.distanceUnit ?? 'km';
}
