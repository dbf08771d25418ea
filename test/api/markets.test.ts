import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_YORK } from '../../src/demo/demo-market.js';
import { addMarket } from '../../src/therapists/markets.js';
import { type Session, type TestApp, call, signUp, startTestApp } from '../support/test-app.js';

let t: TestApp;
let client: Session;
beforeAll(async () => {
  t = await startTestApp();
  client = await signUp(t.app, 'client');
});
afterAll(() => t.close());

const markets = async (who: Session | null) => {
  const response = await call(t.app, who, { method: 'GET', url: '/api/markets' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id: string; name: string; neighbourhoods: { name: string }[] }[]>();
};

describe('GET /api/markets', () => {
  it('tells anyone the markets with their neighbourhoods, camelCase, in the order people see them', async () => {
    const [nyc, ...others] = await markets(null);
    expect(others).toEqual([]);
    expect(nyc).toEqual({
      id: 'nyc',
      name: 'New York City',
      timeZone: 'America/New_York',
      center: NEW_YORK.center,
      distanceUnit: 'mi',
      noteRetentionYears: 6,
      neighbourhoods: NEW_YORK.neighbourhoods,
    });
    expect(nyc!.neighbourhoods[0]).toEqual({ name: 'Midtown', lat: 40.7549, lng: -73.984 });
    expect(await markets(client)).toEqual([nyc]);
  });

  it('lists markets by name, each with its own neighbourhoods, and adding one twice changes nothing', async () => {
    const lisbon = {
      id: 'lis',
      name: 'Lisbon',
      timeZone: 'Europe/Lisbon',
      center: { lat: 38.7223, lng: -9.1393 },
      distanceUnit: 'km' as const,
      noteRetentionYears: 5,
      neighbourhoods: [
        { name: 'Baixa', lat: 38.7118, lng: -9.1366 },
        { name: 'Alfama', lat: 38.7114, lng: -9.1301 },
      ],
    };
    await addMarket(t.database.db, lisbon);
    await addMarket(t.database.db, lisbon);
    const all = await markets(null);
    expect(all.map((m) => m.id)).toEqual(['lis', 'nyc']);
    expect(all[0]).toEqual(lisbon);
    expect(all[1]!.neighbourhoods).toHaveLength(NEW_YORK.neighbourhoods.length);
  });

  it('is read-only: writing to it is answered 404 as a problem', async () => {
    const response = await call(t.app, client, { method: 'POST', url: '/api/markets', payload: { id: 'x' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
