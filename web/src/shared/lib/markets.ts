import { useQuery } from '@tanstack/react-query';
import type { DistanceUnit } from '../../../../src/domain/distance';
import { api } from './api-client';

export interface Market {
  id: string;
  name: string;
  time_zone: string;
  center_lat: number;
  center_lng: number;
  distance_unit: DistanceUnit;
}

export function useMarkets() {
  return useQuery({ queryKey: ['markets'], queryFn: () => api.get<Market[]>('/api/markets'), staleTime: Number.POSITIVE_INFINITY });
}

/**
 * The distance unit of the market a point lies in (the one whose centre is nearest; markets are metro areas far
 * apart): miles in US markets. Null until the markets have loaded, so nothing is shown or searched in the wrong unit.
 */
export function useDistanceUnit(where: { lat: number; lng: number }): DistanceUnit | null {
  const markets = useMarkets();
  if (!markets.data) return markets.isError ? 'km' : null;
  const squared = (m: Market) => (m.center_lat - where.lat) ** 2 + (m.center_lng - where.lng) ** 2;
  return [...markets.data].sort((a, b) => squared(a) - squared(b))[0]?.distance_unit ?? 'km';
}
