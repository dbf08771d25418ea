import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../schema.js';

/** A place people pick from a market's list (Knotwork has no geocoder): a search's start, a studio's area. */
export interface Neighbourhood {
  name: string;
  lat: number;
  lng: number;
}

/** A market (metro area) as the API tells it, with its neighbourhoods in the order people see them. */
export interface Market {
  id: string;
  name: string;
  timeZone: string;
  center: { lat: number; lng: number };
  distanceUnit: 'km' | 'mi';
  /** Years a signed session note is kept, restricted, after its client asked for erasure; then it is purged. */
  noteRetentionYears: number;
  neighbourhoods: Neighbourhood[];
}

const point = { lat: z.number(), lng: z.number() };

export const marketSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string().describe('IANA time zone'),
    center: z.object(point),
    distanceUnit: z
      .enum(['km', 'mi'])
      .describe("How the market's people read distances: miles in the United States; the API itself speaks kilometres"),
    noteRetentionYears: z
      .number()
      .int()
      .describe(
        'Years a signed session note is kept, restricted (read by no one), after its client erases their health information; then it is deleted',
      ),
    neighbourhoods: z
      .array(z.object({ name: z.string(), ...point }))
      .describe(
        'Places to pick from (there is no geocoder), in the order people see them; the first is where a search starts',
      ),
  })
  .meta({ id: 'Market' });

/** Every market with its neighbourhoods, by name: two queries, whatever the number of markets. */
export async function listMarkets(db: Kysely<DB>): Promise<Market[]> {
  const markets = await db.selectFrom('markets').selectAll().orderBy('name').execute();
  if (markets.length === 0) return [];
  const hoods = await db
    .selectFrom('neighbourhoods')
    .select(['market', 'name', 'lat', 'lng'])
    .where(
      'market',
      'in',
      markets.map((m) => m.id),
    )
    .orderBy('market')
    .orderBy('position')
    .execute();
  return markets.map((m) => ({
    id: m.id,
    name: m.name,
    timeZone: m.time_zone,
    center: { lat: m.center_lat, lng: m.center_lng },
    distanceUnit: m.distance_unit,
    noteRetentionYears: m.note_retention_years,
    neighbourhoods: hoods.filter((h) => h.market === m.id).map(({ name, lat, lng }) => ({ name, lat, lng })),
  }));
}

/** Adds a market and its neighbourhoods unless it is there already (the seed's and the tests' market). */
export async function addMarket(db: Kysely<DB>, market: Market): Promise<void> {
  await db
    .insertInto('markets')
    .values({
      id: market.id,
      name: market.name,
      time_zone: market.timeZone,
      center_lat: market.center.lat,
      center_lng: market.center.lng,
      distance_unit: market.distanceUnit,
      note_retention_years: market.noteRetentionYears,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  if (market.neighbourhoods.length === 0) return;
  await db
    .insertInto('neighbourhoods')
    .values(
      market.neighbourhoods.map((n, position) => ({
        market: market.id,
        name: n.name,
        position,
        lat: n.lat,
        lng: n.lng,
      })),
    )
    .onConflict((oc) => oc.columns(['market', 'name']).doNothing())
    .execute();
}
