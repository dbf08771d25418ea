import { useQueries } from '@tanstack/react-query';
import { api, withQuery } from '../../../shared/lib/api-client';
import type { PackageOffer } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import { Link } from '../../../shared/lib/router';
import { perSessionMinor } from '../lib/offer-words';

/** Every market's packages on offer: one request a market, shared by every card of a search page. */
function useMarketOffers(): PackageOffer[] {
  const markets = useMarkets();
  const results = useQueries({
    queries: (markets.data ?? []).map((m) => ({
      queryKey: ['package-offers', null, m.id],
      queryFn: () => api.get<{ items: PackageOffer[] }>('/api/package-offers', { market: m.id }),
      staleTime: 60_000,
    })),
  });
  return results.flatMap((r) => r.data?.items ?? []);
}

/**
 * Under a therapist's search card, and under a held booking's total, when they offer packages of their own: the best
 * price a session, and a link to buy one (with the market's packages beside them), coming back to `next` after.
 */
export function TherapistPackagesLink({
  therapist,
  next,
}: {
  therapist: { id: string; displayName: string };
  next?: string;
}) {
  const own = useMarketOffers().filter((o) => o.therapistId === therapist.id);
  if (own.length === 0) return null;
  const best = own.reduce((a, b) => (perSessionMinor(b) < perSessionMinor(a) ? b : a));
  return (
    <p className="offer-packages small">
      <Link to={withQuery('/packages/buy', { therapist: therapist.id, next })}>
        Packages with {therapist.displayName}
      </Link>{' '}
      <span className="muted">
        from {formatMoney(perSessionMinor(best), best.currency)} a session ({best.name})
      </span>
    </p>
  );
}
