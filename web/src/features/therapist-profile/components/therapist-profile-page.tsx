import type { ReactNode } from 'react';
import { formatDistance } from '../../../../../src/domain/distance';
import { SPECIALTIES } from '../../../../../src/domain/specialties';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import { Link } from '../../../shared/lib/router';
import { useTherapistProfile } from '../api/therapist-profile';
import { ReviewList, type Viewer } from './review-list';

const specialtyLabel = (code: string) => SPECIALTIES.find((s) => s.code === code)?.label ?? code;

function Portrait({ profile }: { profile: TherapistProfile }) {
  if (!profile.photo)
    return (
      <div className="avatar avatar-large" aria-hidden="true">
        {profile.displayName.slice(0, 1)}
      </div>
    );
  return (
    <img
      className="portrait"
      src={profile.photo.url}
      width={profile.photo.width}
      height={profile.photo.height}
      alt={`Photo of ${profile.displayName}`}
    />
  );
}

function Places({ profile }: { profile: TherapistProfile }) {
  const markets = useMarkets();
  const unit = markets.data?.find((m) => m.id === profile.market)?.distanceUnit ?? 'km';
  const area = profile.mobileArea;
  return (
    <ul className="stack" role="list">
      {profile.studios.map((studio) => (
        <li key={studio.id}>
          <strong>{studio.name}</strong>, {studio.address}
        </li>
      ))}
      {area && (
        <li>
          <strong>Comes to your home</strong> within {formatDistance(area.radiusKm, unit)}
          {area.label ? ` of ${area.label}` : ''}
        </li>
      )}
    </ul>
  );
}

/**
 * A therapist's public page: who they are, what they offer where and at what price, and what clients wrote. The
 * therapist replies to reviews here, and an operator hides one.
 */
export function TherapistProfilePage({
  id,
  viewer,
  renderTimes,
}: {
  id: string;
  viewer: Viewer | null;
  /** The therapist's open times to book, for those who book (app/ composes them from search and booking). */
  renderTimes?: (profile: TherapistProfile) => ReactNode;
}) {
  const profile = useTherapistProfile(id);
  if (profile.isLoading) return <Loading />;
  if (profile.error || !profile.data) return <ErrorNotice error={profile.error} />;
  const p = profile.data;
  const facts = [
    p.yearsInPractice !== null
      ? `${p.yearsInPractice} ${p.yearsInPractice === 1 ? 'year' : 'years'} in practice`
      : null,
    p.languages.length > 0 ? `Speaks ${p.languages.join(', ')}` : null,
  ].filter((fact) => fact !== null);
  return (
    <div className="narrow stack therapist-profile">
      {!p.searchable && (
        <p className="notice notice-info">Only you and Knotwork see this page until you appear in search.</p>
      )}
      <header className="profile-header">
        <Portrait profile={p} />
        <div>
          <h1>{p.displayName}</h1>
          <p className="result-meta">
            <span aria-hidden="true">★ </span>
            {p.rating.average === null || p.rating.count === 0
              ? 'New on Knotwork'
              : `${p.rating.average.toFixed(1)} (${p.rating.count} ${p.rating.count === 1 ? 'rating' : 'ratings'})`}
          </p>
          {facts.length > 0 && <p className="muted">{facts.join(' · ')}</p>}
        </div>
      </header>
      {p.searchable &&
        viewer?.role !== 'therapist' &&
        viewer?.role !== 'operator' &&
        (renderTimes ? (
          renderTimes(p)
        ) : (
          <p>
            <Link className="btn btn-primary" to="/search">
              Find a time
            </Link>
          </p>
        ))}
      {p.bio.trim() !== '' && (
        <section className="card" aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <p className="pre-line">{p.bio}</p>
        </section>
      )}
      {p.specialties.length > 0 && (
        <section className="card" aria-labelledby="specialties-heading">
          <h2 id="specialties-heading">Specialties</h2>
          <ul className="chips" role="list">
            {p.specialties.map((s) => (
              <li key={s} className="chip">
                {specialtyLabel(s)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="services-heading">
        <h2 id="services-heading">Sessions and prices</h2>
        {p.services.length === 0 ? (
          <p className="muted">No sessions offered yet.</p>
        ) : (
          <ul className="price-list" role="list">
            {p.services.map((s) => (
              <li key={s.durationMin}>
                <span>Deep tissue, {s.durationMin} min</span> <strong>{formatMoney(s.priceCents, s.currency)}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="places-heading">
        <h2 id="places-heading">Where</h2>
        <Places profile={p} />
      </section>
      <section aria-labelledby="reviews-heading" className="stack">
        <h2 id="reviews-heading">Reviews</h2>
        <ReviewList therapistId={p.id} therapistName={p.displayName} viewer={viewer} />
      </section>
    </div>
  );
}
