import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { heldSession, workedNote } from '../support/session-fixture.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;
let operator: Session;
let therapist: TherapistFixture;
let other: TherapistFixture;
let client: Session;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  other = await createTherapist(t, {}, operator);
  // Varicose veins on the left calf: the calf's stretch and rolling are left out of the home programme.
  client = await signUp(t.app, 'client', 'Jamie Fox', {
    intake: deskWorkerIntake({ conditions: { varicoseVeins: { severity: 'mild', regions: ['calves.left'] } } }),
  });
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});

/** A local time in New York (UTC-5 in these weeks). */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const put = (who: Session | null, url: string, payload: unknown) => call(t.app, who, { method: 'PUT', url, payload });
const post = (who: Session | null, url: string) => call(t.app, who, { method: 'POST', url });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

type Plan = {
  sections: {
    id: string;
    title: string;
    items: { id: string; text: string; dosage?: string; why: string; sources: string[]; emergency?: boolean }[];
  }[];
};
const itemIds = (plan: Plan, section: string) =>
  plan.sections.find((s) => s.id === section)?.items.map((i) => i.id) ?? [];

describe('aftercare after a signed note', () => {
  let bookingId: string;
  let url: string;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    const booking = await bookSession();
    bookingId = booking.id;
    url = `/api/bookings/${bookingId}/aftercare`;
  });

  async function bookSession() {
    return heldSession(t, client, therapist, nyAt('2026-11-24', '10:00'), {
      note: workedNote([
        ['hamstrings.left', 4],
        ['low_back.left', 3],
        ['calves.right', 3],
      ]),
    });
  }

  it('is drafted on signing, for the regions worked and the client’s conditions, with what was left out and why', async () => {
    const draft = await get(therapist.session, url);
    expect(draft.statusCode, draft.body).toBe(200);
    const body = draft.json();
    expect(body).toMatchObject({
      bookingId,
      status: 'draft',
      edited: false,
      sentAt: null,
      sentBy: null,
      conditions: ['varicose_veins'],
    });
    expect(itemIds(body.plan, 'stretches')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hamstring_stretch/)]),
    );
    expect(itemIds(body.plan, 'strengthening')).toEqual(['glute_bridge', 'dead_bug']);
    expect(itemIds(body.plan, 'precautions')).toEqual(['precaution_varicose_veins']);
    expect(itemIds(body.plan, 'foam_rolling')).not.toContain('roll_calves');
    expect(body.omitted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ exerciseId: 'roll_calves', condition: 'varicose_veins', why: expect.any(String) }),
      ]),
    );
    // The guides for the regions worked (hamstrings, low back, calves; the calves' rolling was left out, still
    // worked), soreness always.
    expect(body.guides.map((g: { slug: string }) => g.slug)).toEqual([
      'tight-hamstrings',
      'knots-in-the-back',
      'back-pain-relief',
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
    expect(body.guides[0]).toEqual({
      slug: 'tight-hamstrings',
      title: 'Why are my hamstrings so tight?',
      path: '/guides/tight-hamstrings',
    });
    const urgent = body.plan.sections
      .find((s: { id: string }) => s.id === 'when_to_get_help')
      .items.filter((i: { emergency?: boolean }) => i.emergency);
    expect(urgent.map((i: { text: string }) => i.text).join(' ')).toContain('Call your local emergency number now');
  });

  it('is shown to the client only once sent, and to nobody without access', async () => {
    expect((await get(client, url)).json()).toMatchObject({ status: 404, code: 'not_found' });
    expect((await get(operator, url)).json()).toMatchObject({ status: 'draft' });
    expect((await get(other.session, url)).statusCode).toBe(404);
    expect((await get(null, url)).statusCode).toBe(401);
    expect((await get(client, '/api/me/aftercare')).json()).toEqual({ items: [] });
  });

  it('is edited by the booked therapist only, validated field by field', async () => {
    const plan: Plan = (await get(therapist.session, url)).json().plan;
    const edited: Plan = {
      sections: plan.sections.map((s) =>
        s.id === 'stretches'
          ? {
              ...s,
              items: [
                {
                  id: 'own_note',
                  text: 'Walk for ten minutes after lunch.',
                  why: 'Gentle movement eases soreness.',
                  sources: [],
                },
              ],
            }
          : s,
      ),
    };
    expect((await put(client, url, { plan: edited })).statusCode).toBe(403);
    expect((await put(other.session, url, { plan: edited })).statusCode).toBe(404);
    expect((await put(operator, url, { plan: edited })).statusCode).toBe(403);

    const empty = await put(therapist.session, url, {
      plan: { sections: [{ ...edited.sections[0], items: [{ id: 'x', text: '', why: '', sources: [] }] }] },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'validation_failed', field: 'plan.sections.0.items.0.text' });
    const wrongSection = await put(therapist.session, url, {
      plan: { sections: [{ id: 'gossip', title: 'x', items: [] }] },
    });
    expect(wrongSection.json()).toMatchObject({ status: 400, field: 'plan.sections.0.id' });
    const twice = await put(therapist.session, url, {
      plan: { sections: [edited.sections[0], edited.sections[1], edited.sections[0]] },
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.json()).toMatchObject({ code: 'aftercare_plan_invalid', field: 'plan.sections.2.id' });
    const nothing = await put(therapist.session, url, { plan: { sections: [] } });
    expect(nothing.json()).toMatchObject({ status: 422, code: 'aftercare_plan_invalid', field: 'plan.sections' });
    expect((await get(therapist.session, url)).json()).toMatchObject({ edited: false });

    const saved = await put(therapist.session, url, { plan: edited });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'draft', edited: true });
    expect(itemIds(saved.json().plan, 'stretches')).toEqual(['own_note']);
  });

  it('is sent once: the client gets it by e-mail (text and HTML) and in the app, and what was sent stays as it was', async () => {
    expect((await post(client, `${url}/send`)).statusCode).toBe(403);
    const sent = await post(therapist.session, `${url}/send`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({
      status: 'sent',
      sentAt: new Date(t.clock.now()).toISOString(),
      sentBy: { id: therapist.id, displayName: 'Dana Deep' },
    });

    expect((await post(therapist.session, `${url}/send`)).json()).toMatchObject({
      status: 409,
      code: 'aftercare_sent',
    });
    expect((await put(therapist.session, url, { plan: sent.json().plan })).json()).toMatchObject({
      status: 409,
      code: 'aftercare_sent',
    });
    await expect(
      sql`UPDATE aftercare_plans SET content = '{"sections":[]}'::jsonb WHERE booking_id = ${bookingId}`.execute(
        t.database.db,
      ),
    ).rejects.toThrow(/cannot be changed/);
    await expect(
      sql`DELETE FROM aftercare_plans WHERE booking_id = ${bookingId}`.execute(t.database.db),
    ).rejects.toThrow(/cannot be changed/);

    await background.runRound();
    const [mail, ...more] = mailsTo(client.email).filter((m) => m.subject.startsWith('Your aftercare'));
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Your aftercare from Dana Deep');
    expect(mail!.text).toContain('Walk for ten minutes after lunch.');
    expect(mail!.text).toContain(`/bookings/${bookingId}/aftercare`);
    expect(mail!.text).toContain('URGENT: Sudden breathlessness or chest pain.');
    expect(mail!.html).toContain('<h2>Take care</h2>');
    expect(mail!.html).toContain('<strong>Sudden breathlessness or chest pain.');
    expect(mail!.text).toMatch(
      /To read more about what was worked on:\nWhy are my hamstrings so tight\?: http:\/\/[^/]+\/guides\/tight-hamstrings\n/,
    );
    expect(mail!.text).toMatch(/Is soreness after a massage normal\?: http:\/\/[^/]+\/guides\/soreness-after-massage/);
    // The therapist's edit replaced the stretches (the low back's among them): the guides still follow the regions
    // the signed note worked, not the exercises kept.
    expect(mail!.html).toMatch(
      /<li><a href="http:\/\/[^"]+\/guides\/legs-hurt-when-massaged">Why do my legs hurt when they are massaged\?<\/a><\/li>/,
    );
    expect(mail!.html).toContain('/guides/back-pain-relief');

    const inbox = (await get(client, '/api/messages')).json().items;
    expect(inbox).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'aftercare.sent', bookingId, subject: 'Your aftercare from Dana Deep' }),
      ]),
    );

    const forClient = await get(client, url);
    expect(forClient.statusCode).toBe(200);
    expect(forClient.json()).toMatchObject({ status: 'sent', omitted: [], conditions: [], plan: sent.json().plan });
    expect(forClient.json().guides).toEqual(sent.json().guides);
    expect((await get(client, '/api/me/aftercare')).json().items).toEqual([
      expect.objectContaining({ bookingId, therapistName: 'Dana Deep' }),
    ]);
    expect((await get(therapist.session, url)).json().plan).toEqual(sent.json().plan);
  });

  it('records every read of it in the client’s access log', async () => {
    const before = await t.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('subject_type', '=', 'aftercare')
      .execute();
    await get(client, url);
    await get(therapist.session, url);
    const after = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'subject_user_id'])
      .where('subject_type', '=', 'aftercare')
      .orderBy('id')
      .execute();
    expect(after.slice(before.length)).toEqual([
      { actor_id: client.id, subject_user_id: client.id },
      { actor_id: therapist.id, subject_user_id: client.id },
    ]);
  });
});

describe('aftercare before and without a signed note', () => {
  it('does not exist until the note is signed', async () => {
    t.clock.set(TEST_NOW);
    const booking = await heldSession(t, client, therapist, nyAt('2026-11-25', '10:00'), { note: null });
    const url = `/api/bookings/${booking.id}/aftercare`;
    expect((await get(therapist.session, url)).json()).toMatchObject({ status: 404, code: 'not_found' });
    expect((await post(therapist.session, `${url}/send`)).json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('the exercise catalogue for the editor', () => {
  it('lists exercises as ready-made items for therapists and operators', async () => {
    const catalogue = await get(therapist.session, '/api/aftercare/exercises');
    expect(catalogue.statusCode).toBe(200);
    const roll = catalogue.json().exercises.find((e: { id: string }) => e.id === 'roll_calves');
    expect(roll).toMatchObject({
      kind: 'foam_roll',
      section: 'foam_rolling',
      item: { id: 'roll_calves', dosage: expect.any(String), why: expect.any(String) },
    });
    expect((await get(client, '/api/aftercare/exercises')).statusCode).toBe(403);
  });
});

describe('erasure', () => {
  it('exports, then erases, sent aftercare and check-ins with the rest of the client’s health data', async () => {
    t.clock.set(TEST_NOW);
    const erasing = await signUp(t.app, 'client');
    const booking = await heldSession(t, erasing, therapist, nyAt('2026-11-26', '10:00'));
    expect((await post(therapist.session, `/api/bookings/${booking.id}/aftercare/send`)).statusCode).toBe(200);
    const exported = (await get(erasing, '/api/me/health-data')).json();
    expect(exported.aftercare).toEqual([
      expect.objectContaining({ bookingId: booking.id, status: 'sent', sentAt: expect.any(String) }),
    ]);
    expect(exported.checkIns.map((c: { seq: number; status: string }) => [c.seq, c.status])).toEqual([
      [1, 'scheduled'],
      [2, 'scheduled'],
    ]);
    expect(exported.careAlerts).toEqual([]);
    const erased = await call(t.app, erasing, { method: 'DELETE', url: '/api/me/health-data' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().erased).toMatchObject({
      sessionNotes: 0,
      signedNotesRestricted: 1,
      aftercare: 1,
      checkIns: 2,
      careAlerts: 0,
    });
    expect((await get(therapist.session, `/api/bookings/${booking.id}/aftercare`)).statusCode).toBe(404);
    expect((await get(erasing, `/api/bookings/${booking.id}/check-ins`)).json().items).toEqual([]);
    // The check-in jobs still scheduled find nothing and do nothing.
    t.clock.set(booking.checkedOutAt + 24 * 3_600_000);
    expect((await background.runRound()).jobs.failed).toBe(0);
  });
});

describe('aftercare and amendments', () => {
  it('follows an amended note while it is an unedited draft, and keeps the therapist’s edits after that', async () => {
    t.clock.set(TEST_NOW);
    const amending = await signUp(t.app, 'client');
    const booking = await heldSession(t, amending, therapist, nyAt('2026-11-27', '10:00'), {
      note: workedNote([['hamstrings.left', 3]]),
    });
    const url = `/api/bookings/${booking.id}/aftercare`;
    const amend = (regions: [string, number][], reason: string) =>
      call(t.app, therapist.session, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/note/amendments`,
        payload: { note: workedNote(regions), reason },
      });
    expect(itemIds((await get(therapist.session, url)).json().plan, 'stretches')).not.toContain(
      'upper_trapezius_stretch',
    );

    expect(
      (
        await amend(
          [
            ['hamstrings.left', 3],
            ['neck.left', 2],
          ],
          'Also worked the neck, forgot to note it',
        )
      ).statusCode,
    ).toBe(201);
    const redrafted: Plan = (await get(therapist.session, url)).json().plan;
    expect(itemIds(redrafted, 'stretches')).toContain('upper_trapezius_stretch');

    const edited = { sections: redrafted.sections.filter((s) => s.id !== 'heat_ice_bath') };
    expect((await put(therapist.session, url, { plan: edited })).statusCode).toBe(200);
    expect((await amend([['neck.left', 2]], 'The hamstrings were not worked after all')).statusCode).toBe(201);
    expect((await get(therapist.session, url)).json()).toMatchObject({ edited: true, plan: edited });
  });
});
