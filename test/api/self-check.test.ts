import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_EMERGENCY_NOW } from '../../src/domain/emergency-wording.js';
import { RED_FLAG_QUESTIONS } from '../../src/domain/red-flag-questions.js';
import { CLINICAL_SOURCES } from '../../src/domain/clinical-sources.js';
import { type Session, type TestApp, call, signUp, startTestApp } from '../support/test-app.js';

/** POST /api/self-check: open to visitors, the result from the catalogues, and nothing written anywhere. */

let t: TestApp;
let client: Session;

const NO_FLAGS = Object.fromEntries(RED_FLAG_QUESTIONS.map((q) => [q.key, false]));

const answers = (patch: Record<string, unknown> = {}) => ({
  bodyMap: [
    { region: 'hamstrings.left', tightness: 8, pain: 2 },
    { region: 'hamstrings.right', tightness: 7, pain: 0 },
    { region: 'low_back.left', tightness: 6, pain: 5 },
  ],
  howLong: 'months',
  worseWith: ['sitting', 'bending'],
  betterWith: ['moving', 'heat'],
  activity: { level: 'light', deskHoursPerDay: 9 },
  recentInjury: 'none',
  redFlags: NO_FLAGS,
  zone: 'America/New_York',
  ...patch,
});

/** Every row of every table: the self-check must leave them all as they were. */
async function everyRow(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    t.database.db,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)}`.execute(
      t.database.db,
    );
    counts[table_name] = result.rows[0]!.n;
  }
  return counts;
}

beforeAll(async () => {
  t = await startTestApp();
  client = await signUp(t.app, 'client');
});
afterAll(() => t.close());

describe('POST /api/self-check', () => {
  it('answers a visitor without an account: what is going on, the session, self-care, search and sources', async () => {
    const response = await call(t.app, null, { method: 'POST', url: '/api/self-check', payload: answers() });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result.safety).toEqual({
      level: 'clear',
      headline: expect.any(String),
      messages: [],
      findTherapist: 'shown',
    });
    expect(result.likely.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['knots', 'referred.gluteus_medius', 'hamstrings_pelvis', 'tender_under_pressure']),
    );
    expect(result.session.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['technique.trigger_point_compression', 'feels_like', 'afterwards']),
    );
    expect(result.selfCare.map((s: { title: string }) => s.title)).toEqual(
      expect.arrayContaining(['Stretch', 'Foam roll', 'Strengthen', 'Drink enough water', 'Heat or ice']),
    );
    expect(result.search).toEqual({
      specialty: 'hamstrings',
      focusRegions: ['low_back.left', 'hamstrings.left', 'hamstrings.right'],
    });
    expect(result.guides[0]).toEqual({
      slug: 'tight-hamstrings',
      path: '/guides/tight-hamstrings',
      title: 'Why are my hamstrings so tight?',
    });
    for (const part of [result.likely, result.session, result.selfCare])
      for (const s of part) {
        expect(s.sources.length, s.id).toBeGreaterThan(0);
        for (const source of s.sources) expect(Object.hasOwn(CLINICAL_SOURCES, source.key)).toBe(true);
      }
    expect(result.sources.length).toBeGreaterThan(5);
  });

  it('puts the emergency first and offers no therapist when a red flag says so, signed in or not', async () => {
    for (const who of [null, client]) {
      const response = await call(t.app, who, {
        method: 'POST',
        url: '/api/self-check',
        payload: answers({ redFlags: { ...NO_FLAGS, saddleNumbness: true } }),
      });
      expect(response.statusCode, response.body).toBe(200);
      const { safety } = response.json();
      expect(safety).toMatchObject({ level: 'emergency', findTherapist: 'hidden' });
      expect(safety.headline).toContain(CALL_EMERGENCY_NOW);
      expect(safety.messages[0]).toMatchObject({ id: 'spinal_red_flags.emergency', title: 'Call for help now' });
    }
  });

  it('stores nothing: every table keeps its rows, for answers, refusals and red flags alike', async () => {
    const before = await everyRow();
    const sent = [
      answers(),
      answers({ redFlags: { ...NO_FLAGS, legClotSigns: true } }),
      answers({ recentInjury: 'last_3_days' }),
      answers({ bodyMap: [] }),
      answers({ howLong: 'forever' }),
    ];
    const statuses = [];
    for (const payload of sent) {
      statuses.push((await call(t.app, null, { method: 'POST', url: '/api/self-check', payload })).statusCode);
      statuses.push((await call(t.app, client, { method: 'POST', url: '/api/self-check', payload })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 400, 400, 400, 400]);
    expect(await everyRow()).toEqual(before);
  });
});
