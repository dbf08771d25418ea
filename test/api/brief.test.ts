import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { BRIEF_PAGE_SCRIPT } from '../../src/brief/engine/brief-page.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
let therapist: TherapistFixture;
let client: Session;
let bookingId: string;
let earlierId: string;

const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

const INTAKE: IntakeInput = {
  ...deskWorkerIntake(),
  bodyMap: [
    { region: 'hamstrings.left', tightness: 8, pain: 4 },
    { region: 'low_back.right', tightness: 6, pain: 6, note: 'Knot <script>alert("x")</script> near the spine' },
    { region: 'calves.left', tightness: 5, pain: 3 },
    { region: 'neck.left', tightness: 4, pain: 0 },
  ],
  goals: ['Touch my toes <b>again</b>'],
  causes: ['posture', 'sleep_position'],
  activity: { level: 'light', deskHoursPerDay: 10 },
  medications: ['Ibuprofen as needed'],
  conditions: { pregnancy: { weeks: 20 }, hypertension: { systolic: 165, diastolic: 95, measuredOn: '2026-11-20' } },
  pressure: { preference: 4, avoidRegions: ['glutes.right'] },
};

beforeAll(async () => {
  t = await startTestApp();
  const operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client', 'Morgan <Lee>', { intake: INTAKE });
  const book = async (start: string) => {
    const held = await call(t.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 90,
        start,
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${held.json().id}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    return held.json().id as string;
  };
  earlierId = await book(at('2026-11-24', '10:00'));
  bookingId = await book(at('2026-12-01', '10:00'));
  // The earlier session took place (check-in and check-out belong to session records).
  await t.database.db.updateTable('bookings').set({ status: 'completed' }).where('id', '=', earlierId).execute();
});
afterAll(() => t.close());

describe('pre-session brief', () => {
  it('gives the therapist the body map, goals, flags with reasons and sources, caps, hints and previous sessions', async () => {
    const response = await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${bookingId}/brief` });
    expect(response.statusCode, response.body).toBe(200);
    const brief = response.json();
    expect(brief.client).toEqual({ id: client.id, displayName: 'Morgan <Lee>' });
    expect(brief.intake.version).toBe(1);
    expect(brief.bodyMap).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          region: 'hamstrings.left',
          view: 'back',
          side: 'left',
          tightness: 8,
          pain: 4,
          muscles: ['Semitendinosus', 'Semimembranosus', 'Biceps femoris'],
        }),
        expect.objectContaining({ region: 'low_back.right', note: 'Knot <script>alert("x")</script> near the spine' }),
      ]),
    );
    expect(brief.goals).toEqual(['Touch my toes <b>again</b>']);
    expect(brief.causes).toEqual(['posture', 'sleep position']);
    expect(brief.pressurePreference).toEqual({ level: 4, label: 'deep' });
    expect(brief.avoidRegions).toEqual([{ region: 'glutes.right', label: 'Buttock (right)' }]);
    expect(brief.healthHistory).toEqual([
      'High blood pressure: 165/95 on 2026-11-20',
      'Pregnant: 20 weeks on 2026-11-23',
      'Medication: Ibuprofen as needed',
    ]);

    const { screening } = brief;
    expect(screening).toMatchObject({ outcome: 'adapt', intakeVersion: 1, clearance: { status: 'not_required' } });
    const flags = Object.fromEntries(screening.decision.flags.map((f: { ruleId: string }) => [f.ruleId, f]));
    expect(Object.keys(flags).sort()).toEqual(['hypertension.high', 'pregnancy', 'pregnancy.side_lying']);
    expect(flags['hypertension.high']).toMatchObject({
      class: 'R',
      facts: '165/95 on 2026-11-20',
      sources: [
        { key: 'HUM', where: expect.any(String) },
        { key: 'W-HTN', where: expect.any(String) },
      ],
    });
    const caps = Object.fromEntries(
      screening.decision.restrictions.map((r: { region: string; cap: number }) => [r.region, r.cap]),
    );
    expect(caps).toMatchObject({ abdomen: 1, 'hamstrings.left': 2, 'calves.left': 2, 'back_of_knee.left': 1 });
    expect(screening.decision.advice.map((a: { topic: string }) => a.topic).sort()).toEqual(['position', 'therapist']);

    const hints = Object.fromEntries(
      brief.referredPain.hints.map((h: { muscle: string; assessAt: { region: string }[] }) => [
        h.muscle,
        h.assessAt.map((r) => r.region),
      ]),
    );
    expect(hints).toMatchObject({
      quadratus_lumborum: ['low_back.right'],
      gluteus_medius: ['glutes.right'],
      gastrocnemius: ['calves.left'],
      semitendinosus: ['hamstrings.left'],
    });
    expect(hints).not.toHaveProperty('upper_trapezius');
    expect(brief.referredPain.clotReminder).toMatchObject({
      regions: [{ region: 'calves.left', label: 'Calf (left)' }],
    });

    expect(brief.previousSessions).toEqual([
      {
        bookingId: earlierId,
        startsAt: '2026-11-24T15:00:00.000Z',
        timeZone: 'America/New_York',
        durationMin: 90,
        status: 'completed',
        sessionRecord: { note: null, measurements: [], liveSummary: [] },
      },
    ]);
  });

  it('prints as one page with every piece of the client’s text escaped', async () => {
    const response = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${bookingId}/brief` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    // The page's one script is its own Print button's.
    expect(html.replace(`<script>${BRIEF_PAGE_SCRIPT}</script>`, '')).not.toContain('<script>');
    expect(html).not.toContain('<b>again');
    expect(html).not.toContain('<Lee>');
    expect(html).toContain('Knot &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; near the spine');
    expect(html).toContain('Pre-session brief: Morgan &lt;Lee&gt;');
    expect(html).toContain('@media print');
    // The client's guide to the session, for the therapist to share.
    expect(html).toContain(
      '<a href="/guides/what-to-expect">What to expect before, during and after a deep tissue session</a>',
    );
    expect(html).toContain('Proceed with adaptations');
    expect(html).toContain('Side-lying (left side preferred)');
    expect(html).toContain('check for a blood clot');
    expect(html).toMatch(/<strong>W-HTN<\/strong>: /);
    expect(html).toContain('Tuesday, December 1, 2026, 10:00–11:30 AM Eastern Standard Time');
    expect(html).toContain('Tuesday, November 24, 2026: 90 min, completed');
    // Staff words about the client, conditions in words, and every cited key listed with where it is.
    expect(html).toContain('Suitable for deep tissue massage with adaptations');
    expect(html).not.toMatch(/endangerment_sites|hypertension\.high|\bsuits you\b/);
    expect(html).toMatch(/<strong>WRN-END<\/strong>: /);
  });
});
