import { type ReactNode, useEffect, useRef } from 'react';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { navigate, useLocation } from '../../../shared/lib/router';
import { useAvailability } from '../api/availability';
import { ResultCard } from './result-card';
import { SearchFormPanel } from './search-form';
import { type SearchForm, defaultSearch, searchFromUrl, searchToUrl, toAvailabilityParams } from './search-params';
import type { SlotPick } from './slot-pick';
import { Pager } from '../../../shared/components/pager';
import { placesOf, useDistanceUnit, useMarkets } from '../../../shared/lib/markets';
import { SPECIALTY_CODES } from '../../../../../src/domain/specialties';

const specialtyOf = (value: string | null) =>
  value !== null && (SPECIALTY_CODES as readonly string[]).includes(value) ? value : '';

/**
 * `onPick` holds a time (the route decides how); `renderPickError` says why a pick failed, next to the therapist;
 * `aside` sits under the form (the route puts the session's focus there); `renderCardExtra` adds a line under a
 * therapist's card (the route links their packages there).
 */
export function SearchPage({
  onPick,
  renderPickError,
  aside,
  renderCardExtra,
  renderNoTimeSuits,
}: {
  onPick: (pick: SlotPick) => Promise<void>;
  renderPickError?: (error: unknown) => ReactNode;
  aside?: ReactNode;
  renderCardExtra?: (therapist: { id: string; displayName: string }) => ReactNode;
  /** Under the results of a search: what to offer when no time suits (the route puts the waitlist there). */
  renderNoTimeSuits?: (search: SearchForm, radiusKm: number) => ReactNode;
}) {
  const { search: query } = useLocation();
  const markets = useMarkets();
  const places = placesOf(markets.data);
  const search = searchFromUrl(query, places[0]);
  // A link may name the specialty before any search (the self-check's "Find a therapist for this").
  const initial = search ?? { ...defaultSearch(places[0]), specialty: specialtyOf(query.get('specialty')) };
  // The places a self-check marked travel with every search, to the time tapped (routes.tsx).
  const focus = query.get('focus');
  const unit = useDistanceUnit(initial);
  const availability = useAvailability(search && unit ? toAvailabilityParams(search, unit) : null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const jumpToResults = useRef(false);
  const go = (form: SearchForm) => {
    jumpToResults.current = true;
    navigate(focus ? `${searchToUrl(form)}&${new URLSearchParams({ focus })}` : searchToUrl(form));
  };
  // After a search, take the person to what it found (on a phone the form fills the screen).
  useEffect(() => {
    if (jumpToResults.current && !availability.isFetching) {
      jumpToResults.current = false;
      resultsHeading.current?.focus();
    }
  }, [availability.isFetching]);
  const data = availability.data;

  return (
    <div className="search-layout">
      <div className="search-side">
        <PageHeader title="Find a therapist">
          <p>Deep tissue massage by licensed therapists, at their studio or in your home.</p>
        </PageHeader>
        {markets.isLoading ? (
          <Loading label="Loading places…" />
        ) : (
          <SearchFormPanel
            key={query.toString()}
            initial={initial}
            places={places}
            unit={unit ?? 'km'}
            error={availability.error}
            onSearch={go}
          />
        )}
        <ErrorNotice error={markets.error} />
        {aside}
      </div>
      <section className="search-results" aria-labelledby="results-heading" aria-busy={availability.isFetching}>
        <h2 id="results-heading" ref={resultsHeading} tabIndex={-1} className={search ? undefined : 'visually-hidden'}>
          {data ? `${data.total} ${data.total === 1 ? 'therapist' : 'therapists'} with open times` : 'Results'}
        </h2>
        {!search && (
          <EmptyState title="Choose a service, a place and dates, then search.">
            Results show each therapist with their open times.
          </EmptyState>
        )}
        {availability.isLoading && <Loading label="Finding open times…" />}
        <ErrorNotice
          error={availability.error}
          shownFields={['durationMin', 'mode', 'lat', 'lng', 'radiusKm', 'from', 'to', 'gender', 'specialty']}
        />
        {data && data.total === 0 && (
          <EmptyState title="No open times match.">
            <p>Try more days, a wider distance, or no gender or specialty preference.</p>
          </EmptyState>
        )}
        {data && search && (
          <>
            <ol className="results" role="list">
              {data.results.map((result) => (
                <li key={result.therapist.id}>
                  <ResultCard
                    result={result}
                    search={search}
                    unit={unit ?? 'km'}
                    onPick={onPick}
                    renderError={renderPickError}
                    extra={renderCardExtra?.(result.therapist)}
                  />
                </li>
              ))}
            </ol>
            <Pager
              label="Result pages"
              page={search.page}
              total={data.total}
              pageSize={data.pageSize}
              onPage={(page) => go({ ...search, page })}
            />
          </>
        )}
        {data && search && unit && renderNoTimeSuits?.(search, toAvailabilityParams(search, unit).radiusKm ?? 10)}
      </section>
    </div>
  );
}
