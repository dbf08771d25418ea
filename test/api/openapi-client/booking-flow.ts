import createClient from 'openapi-fetch';
// Generated from /openapi.json by openapi-typescript inside test/api/openapi-client.test.ts, which type-checks this file
// against it; it exists only there (this folder is excluded from the project's tsconfig).
import type { components, paths } from './knotwork-api.js';

type Booking = components['schemas']['Booking'];

export interface BookingFlowInput {
  baseUrl: string;
  email: string;
  password: string;
  /** A calendar day in `zone` to search, and the point to search around. */
  day: string;
  zone: string;
  near: { lat: number; lng: number };
}

/** What a client program does with the API: sign in, search, hold the earliest studio slot, confirm it. */
export async function bookEarliestSlot(input: BookingFlowInput): Promise<Booking> {
  const anonymous = createClient<paths>({ baseUrl: input.baseUrl });
  const signIn = await anonymous.POST('/api/sessions', { body: { email: input.email, password: input.password } });
  if (signIn.error) throw new Error(`sign-in refused: ${signIn.error.code} ${signIn.error.detail}`);
  const cookie = signIn.response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const api = createClient<paths>({ baseUrl: input.baseUrl, headers: { cookie } });

  const search = await api.GET('/api/availability', {
    params: {
      query: {
        durationMin: 60,
        from: input.day,
        to: input.day,
        zone: input.zone,
        mode: 'studio',
        lat: input.near.lat,
        lng: input.near.lng,
      },
    },
  });
  if (search.error) throw new Error(`search refused: ${search.error.code} ${search.error.detail}`);
  const first = search.data.results[0];
  const offer = first?.offers.find((o) => o.place.mode === 'studio' && o.slots.length > 0);
  if (!first || !offer || offer.place.mode !== 'studio') throw new Error('no studio slot on that day');

  const hold = await api.POST('/api/bookings', {
    params: { header: { 'idempotency-key': `${first.therapist.id}:${offer.slots[0]}` } },
    body: {
      therapistId: first.therapist.id,
      durationMin: 60,
      start: offer.slots[0]!,
      place: { mode: 'studio', studioId: offer.place.studioId },
    },
  });
  if (hold.error) throw new Error(`hold refused: ${hold.error.code} ${hold.error.detail}`);

  // A card to pay with: its number goes to the test processor's hosted endpoint (as a real provider's form posts it),
  // and only the token it answers is saved with Knotwork.
  const tokenised = await fetch(`${input.baseUrl}/test-processor/v1/payment-methods`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' }),
  });
  if (tokenised.status !== 201) throw new Error(`tokenising refused: ${tokenised.status}`);
  const { token } = (await tokenised.json()) as { token: string };
  const card = await api.POST('/api/me/payment-methods', { body: { token } });
  if (card.error) throw new Error(`saving the card refused: ${card.error.code} ${card.error.detail}`);

  const confirmed = await api.POST('/api/bookings/{id}/confirm', {
    params: { path: { id: hold.data.id } },
    body: { paymentMethodId: card.data.id },
  });
  if (confirmed.error) throw new Error(`confirmation refused: ${confirmed.error.code} ${confirmed.error.detail}`);
  return confirmed.data;
}
