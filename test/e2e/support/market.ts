import { type TherapistFixture, createTherapist } from '../../support/therapist-fixture.js';
import { type Session, type TestApp, createOperator } from '../../support/test-app.js';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hours = (start: string, end: string, place: 'studio' | 'home' = 'studio') =>
  EVERY_DAY.map((weekday) => ({ weekday, start, end, place }));

/** Near Union Square and Chelsea: inside a 5 km search from Midtown. */
const UNION_SQUARE = { lat: 40.7359, lng: -73.9911 };
const CHELSEA = { lat: 40.7465, lng: -74.0014 };

export interface SmallMarket {
  operator: Session;
  dana: TherapistFixture;
  marcus: TherapistFixture;
  priya: TherapistFixture;
}

/**
 * A few approved therapists around Midtown, created through the public API like the demo market, with
 * hours every day so the journeys find open times whatever day they run.
 */
export async function createSmallMarket(t: Pick<TestApp, 'app' | 'database'>): Promise<SmallMarket> {
  const operator = await createOperator(t);
  const dana = await createTherapist(
    t,
    {
      displayName: 'Dana Whitfield',
      gender: 'female',
      specialties: ['hamstrings', 'sports'],
      hours: hours('08:00', '20:00'),
    },
    operator,
  );
  const marcus = await createTherapist(
    t,
    {
      displayName: 'Marcus Lee',
      gender: 'male',
      specialties: ['hamstrings', 'low_back'],
      studio: UNION_SQUARE,
      hours: hours('09:00', '19:00'),
    },
    operator,
  );
  const priya = await createTherapist(
    t,
    {
      displayName: 'Priya Raman',
      gender: 'female',
      specialties: ['neck_shoulders', 'trigger_point'],
      studio: CHELSEA,
      mobileArea: { ...CHELSEA, radiusKm: 8 },
      hours: [...hours('08:00', '13:00'), ...hours('14:00', '21:00', 'home')],
    },
    operator,
  );
  return { operator, dana, marcus, priya };
}
