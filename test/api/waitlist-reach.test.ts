import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { boxAround } from '../../src/domain/geo-box.js';
import { freshDatabase } from '../support/test-app.js';

/**
 * Migration 0048's `waitlist_reach`, the box the waitlist's match index keeps around each studio entry, is
 * geo-box.ts's `boxAround` written in SQL: the same box for every point and radius (geo-box.test.ts shows that box
 * holds every point within the radius). Compared on the database, over the globe and at the edges: the poles, ±180°,
 * the equator, the smallest and largest radius.
 */
let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
});
afterAll(() => drop?.());

describe("the waitlist entry's reach", () => {
  it('is the box boxAround gives, in SQL, over the globe and at the edges', async () => {
    const cases: [number, number, number][] = [
      [0, 0, 0.1],
      [0, 179.99, 10],
      [0, -179.99, 10],
      [89.9, 0, 10],
      [-89.9, 45, 100],
      [89, 10, 100],
      [40.7557, -73.8831, 2],
      [-33.86, 151.21, 100],
    ];
    // 1,000 more spread over the globe and the radii (multiplicative steps by primes, so no two alike).
    for (let i = 0; i < 1_000; i++)
      cases.push([
        -90 + ((i * 7_919) % 18_001) / 100,
        -180 + ((i * 104_729) % 36_001) / 100,
        0.05 + ((i * 613) % 1_000) / 10,
      ]);
    const { rows } = await sql<{ west: number; south: number; east: number; north: number }>`
      SELECT (r[1])[0] AS west, (r[1])[1] AS south, (r[0])[0] AS east, (r[0])[1] AS north
      FROM unnest(${sql.val(cases.map((c) => c[0]))}::float8[], ${sql.val(cases.map((c) => c[1]))}::float8[],
        ${sql.val(cases.map((c) => c[2]))}::float8[]) WITH ORDINALITY AS c (lat, lng, radius_km, n),
        LATERAL (SELECT waitlist_reach(c.lat, c.lng, c.radius_km) AS r) AS reach
      ORDER BY c.n
    `.execute(database.db);
    expect(rows).toHaveLength(cases.length);
    let everyLongitude = 0;
    rows.forEach((row, i) => {
      const [lat, lng, radiusKm] = cases[i]!;
      const box = boxAround({ lat, lng }, radiusKm);
      const at = `case ${i}: ${lat}, ${lng}, ${radiusKm} km`;
      expect(row.south, at).toBeCloseTo(box.south, 9);
      expect(row.north, at).toBeCloseTo(box.north, 9);
      if (box.west === undefined) {
        everyLongitude++;
        expect([row.west, row.east], at).toEqual([-180, 180]);
      } else {
        expect(row.west, at).toBeCloseTo(box.west, 9);
        expect(row.east, at).toBeCloseTo(box.east!, 9);
      }
    });
    // The edges were reached: boxes that take every longitude (poles, ±180°) and boxes that do not.
    expect(everyLongitude).toBeGreaterThanOrEqual(4);
    expect(everyLongitude).toBeLessThan(cases.length / 2);
  });
});
