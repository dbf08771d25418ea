import { type ReactNode, useState } from 'react';
import { type DistanceUnit, formatDistance } from '../../../../../src/domain/distance';
import { ratingInWords } from '../../../../../src/domain/ratings';
import { SPECIALTIES } from '../../../../../src/domain/specialties';
import { ErrorNotice } from '../../../shared/components/states';
import type { AvailabilityResult } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import type { SearchForm } from './search-params';
import type { SlotPick } from './slot-pick';
import { SlotList } from './slot-list';
import { TherapistThumbnail } from './therapist-thumbnail';

const specialtyLabel = (code: string) => SPECIALTIES.find((s) => s.code === code)?.label ?? code;

/** "★ 4.9 (40)": the mean with how many ratings it is of, since search ranks by both (a Bayesian average). */
export function Rating({ rating }: { rating: AvailabilityResult['therapist']['rating'] }) {
  if (rating.average === null || rating.count === 0) return <span className="muted">New on Knotwork</span>;
  return (
    <span>
      <span aria-hidden="true">★ </span>
      {ratingInWords(rating)}
      <span className="visually-hidden"> ratings</span>
    </span>
  );
}

export function ResultCard({
  result,
  search,
  unit,
  onPick,
  renderError = (error) => <ErrorNotice error={error} />,
  extra,
}: {
  result: AvailabilityResult;
  search: SearchForm;
  /** The market's distance unit. */
  unit: DistanceUnit;
  onPick: (pick: SlotPick) => Promise<void>;
  renderError?: ((error: unknown) => ReactNode) | undefined;
  /** A line of another feature's under the card (the therapist's packages). */
  extra?: ReactNode;
}) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { therapist } = result;
  const headingId = `therapist-${therapist.id}`;

  const pick = async (start: string, zone: string, place: SlotPick['place']) => {
    setPending(start);
    setError(null);
    try {
      await onPick({
        therapistId: therapist.id,
        therapistName: therapist.displayName,
        durationMin: search.durationMin,
        start,
        zone,
        place,
      });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(null);
    }
  };

  return (
    <article className="card result" aria-labelledby={headingId}>
      <header className="result-header">
        <TherapistThumbnail name={therapist.displayName} photoUrl={therapist.photoUrl} />
        <div>
          <h3 id={headingId}>
            <Link to={`/therapists/${therapist.id}`}>{therapist.displayName}</Link>
          </h3>
          <p className="result-meta">
            <Rating rating={therapist.rating} />
            <span aria-hidden="true"> · </span>
            {formatMoney(result.priceCents, result.currency)} for {search.durationMin} min
          </p>
        </div>
      </header>
      {therapist.specialties.length > 0 && (
        <ul className="chips" aria-label="Specialties">
          {therapist.specialties.map((s) => (
            <li key={s} className="chip">
              {specialtyLabel(s)}
            </li>
          ))}
        </ul>
      )}
      {error !== null && renderError(error)}
      {result.offers.map((offer) => {
        const place: SlotPick['place'] =
          offer.place.mode === 'studio'
            ? { mode: 'studio', studioId: offer.place.studioId }
            : { mode: 'home', address: search.address, lat: search.lat, lng: search.lng };
        const where = offer.place.mode === 'studio' ? offer.place.name : 'at your home';
        return (
          <section key={offer.place.mode === 'studio' ? offer.place.studioId : 'home'} className="offer">
            <p className="offer-place">
              {offer.place.mode === 'studio' ? (
                <>
                  <strong>{offer.place.name}</strong>, {offer.place.address}{' '}
                  <span className="muted">· {formatDistance(offer.distanceKm, unit)} away</span>
                </>
              ) : (
                <>
                  <strong>Comes to your home</strong>{' '}
                  <span className="muted">· travels from {formatDistance(offer.distanceKm, unit)} away</span>
                </>
              )}
            </p>
            <SlotList
              slots={offer.slots}
              zone={offer.timeZone}
              label={`${therapist.displayName}, ${where}`}
              pending={pending}
              onPick={(start) => void pick(start, offer.timeZone, place)}
            />
          </section>
        );
      })}
      {extra}
    </article>
  );
}
