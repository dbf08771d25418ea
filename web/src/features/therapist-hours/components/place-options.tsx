import type { TherapistProfile, WeeklyHoursRule } from '../../../shared/lib/api-types';

type Place = WeeklyHoursRule['place'];

export const placeKey = (place: Place) => (place.mode === 'home' ? 'home' : place.studioId);
export const placeFromKey = (key: string): Place =>
  key === 'home' ? { mode: 'home' } : { mode: 'studio', studioId: key };

export function placeName(profile: TherapistProfile, place: Place | undefined) {
  if (!place) return '';
  if (place.mode === 'home') return 'Home visits';
  return profile.studios.find((s) => s.id === place.studioId)?.name ?? 'Studio';
}

/** The places hours can be at: each studio, and home visits when the therapist has an at-home area. */
export function PlaceOptions({ profile }: { profile: TherapistProfile }) {
  return (
    <>
      {profile.studios.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
      {profile.mobileArea && <option value="home">Home visits</option>}
    </>
  );
}
