import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { memberPriceFor, membershipsOf } from '../../src/money/memberships.js';
import { creditsOf } from '../../src/money/packages.js';
import { TEST_CARD, capturedOn, saveCard } from '../support/payment-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  TEST_NOW,
  type TestApp,
  call,
  createOperator,
  sessionCookie,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Memberships (issue 16, deliverable 5): joining charges the first month and issues its credit; renewal is a durable
 * job at the period's end; a failed renewal retries after 1 and 3 days, then pauses the membership with a notice.
 */

let t: TestApp;
let operator: Session;
let therapist: TherapistFixture;
let background: BackgroundWork;
const DAY = 86_400_000;
const jobErrors: unknown[] = [];

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: t.config },
    {
      sender: null,
      payments: { provider: t.app.paymentProvider },
      onJobError: (_job, error) => jobErrors.push(error),
    },
  );
});
afterAll(() => t.close());

async function plan(payload: Record<string, unknown> = {}, who: Session = therapist.session) {
  const response = await call(t.app, who, {
    method: 'POST',
    url: '/api/membership-plans',
    payload: {
      market: 'nyc',
      name: 'Monthly reset',
      priceMinor: 11_000,
      creditsPerMonth: 1,
      durationMin: 60,
      memberDiscountBp: 1500,
      ...payload,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>();
}

async function join(client: Session, planId: string, paymentMethodId: string) {
  return call(t.app, client, { method: 'POST', url: '/api/memberships', payload: { planId, paymentMethodId } });
}

/** Read through the stores, not the API: a month on, the test's sign-in session has expired. */
const mine = async (client: Session) => (await membershipsOf(t.database.db, client.id))[0];
const credits = (client: Session) => creditsOf(t.database.db, client.id, t.clock.now());

async function runAt(instant: number) {
  t.clock.set(instant);
  await background.runRound();
  expect(jobErrors).toEqual([]);
}

describe(`memberships on ${BACKEND}`, () => {
  it('lists plans and refuses bad ones with problem+json naming the field', async () => {
    const created = await plan({}, operator);
    const listed = await call(t.app, null, { method: 'GET', url: '/api/membership-plans?market=nyc' });
    expect(listed.json().items.map((p: { id: string }) => p.id)).toContain(created.id);
    const bad = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/membership-plans',
      payload: {
        market: 'nyc',
        name: 'x',
        priceMinor: 100,
        creditsPerMonth: 1,
        durationMin: 60,
        memberDiscountBp: 20_000,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('memberDiscountBp');
    const noQuery = await call(t.app, null, { method: 'GET', url: '/api/membership-plans' });
    expect(noQuery.statusCode).toBe(400);
    expect(noQuery.json().field).toBe('therapistId');
  });

  it('joins with the first month charged and its credit issued; a declined card joins nothing; one live membership per plan', async () => {
    t.clock.set(TEST_NOW);
    const client = await signUp(t.app, 'client');
    const { id: planId } = await plan();
    const declining = await saveCard(t.app, client, TEST_CARD.declined);
    const declined = await join(client, planId, declining);
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'payment_declined', field: 'paymentMethodId' });
    expect(await mine(client)).toBeUndefined();
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/memberships' })).json().items).toEqual([]);

    const card = await saveCard(t.app, client);
    const joined = await join(client, planId, card);
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toMatchObject({
      status: 'active',
      renews: true,
      currentPeriodStart: '2026-11-23T12:00:00.000Z',
      currentPeriodEnd: '2026-12-23T12:00:00.000Z',
    });
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/memberships' })).json().items).toHaveLength(1);
    expect(await credits(client)).toMatchObject([
      { kind: 'membership', creditsTotal: 1, expiresAt: '2026-12-23T12:00:00.000Z' },
    ]);
    const twice = await join(client, planId, card);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().field).toBe('planId');
    // Its card changes only to one of the client's own cards, and only by the member.
    const strangersCard = await saveCard(t.app, await signUp(t.app, 'client'));
    const changeCard = (who: Session, paymentMethodId: string) =>
      call(t.app, who, {
        method: 'PUT',
        url: `/api/memberships/${joined.json().id}/payment-method`,
        payload: { paymentMethodId },
      });
    const notMine = await changeCard(client, strangersCard);
    expect(notMine.statusCode, notMine.body).toBe(404);
    expect(notMine.json()).toMatchObject({ code: 'not_found', field: 'paymentMethodId' });
    const notTheirs = await changeCard(await signUp(t.app, 'client'), card);
    expect(notTheirs.statusCode, notTheirs.body).toBe(404);

    const member = await memberPriceFor(t.database.db, {
      clientId: client.id,
      therapistId: therapist.id,
      market: 'nyc',
      priceMinor: 12_000,
    });
    expect(member).toEqual({ priceMinor: 10_200, planName: 'Monthly reset' });
    const other = await memberPriceFor(t.database.db, {
      clientId: client.id,
      therapistId: operator.id,
      market: 'nyc',
      priceMinor: 12_000,
    });
    expect(other).toBeNull();
  });

  it('renews at the period end once, with the next month’s credit; a failed renewal retries after 1 and 3 days, then pauses with a notice', async () => {
    t.clock.set(TEST_NOW);
    const client = await signUp(t.app, 'client');
    const { id: planId } = await plan({ name: 'Renewing plan' });
    const card = await saveCard(t.app, client);
    expect((await join(client, planId, card)).statusCode).toBe(201);
    const periodEnd = Date.parse('2026-12-23T12:00:00Z');

    await runAt(periodEnd - 60_000);
    expect(await capturedOn(t.database.db, card)).toHaveLength(1);
    await runAt(periodEnd);
    await runAt(periodEnd + 60_000);
    expect(await capturedOn(t.database.db, card)).toHaveLength(2);
    expect(await mine(client)).toMatchObject({
      status: 'active',
      currentPeriodEnd: '2027-01-23T12:00:00.000Z',
      failedAttempts: 0,
    });
    expect((await credits(client)).map((c) => c.startsAt).sort()).toEqual([
      '2026-11-23T12:00:00.000Z',
      '2026-12-23T12:00:00.000Z',
    ]);

    // The member moves the membership onto another card, one that is declined.
    t.clock.set(TEST_NOW);
    const declining = await saveCard(t.app, client, TEST_CARD.declined);
    const membershipId = (await mine(client))!.id;
    const moved = await call(t.app, client, {
      method: 'PUT',
      url: `/api/memberships/${membershipId}/payment-method`,
      payload: { paymentMethodId: declining },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: membershipId, status: 'active' });
    const next = Date.parse('2027-01-23T12:00:00Z');
    await runAt(next);
    expect(await mine(client)).toMatchObject({ status: 'active', failedAttempts: 1 });
    await runAt(next + DAY - 60_000);
    expect(await mine(client)).toMatchObject({ failedAttempts: 1 });
    await runAt(next + DAY);
    expect(await mine(client)).toMatchObject({ status: 'active', failedAttempts: 2 });
    await runAt(next + 4 * DAY);
    expect(await mine(client)).toMatchObject({ status: 'paused', failedAttempts: 3, renews: false });
    expect(await credits(client)).toHaveLength(2);
    const notices = await t.database.db
      .selectFrom('messages')
      .select(['kind', 'subject', 'body_text'])
      .where('user_id', '=', client.id)
      .where('kind', '=', 'money.membership_paused')
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('Your Renewing plan membership is paused');
    expect(notices[0]!.body_text).toContain('The card was declined. Try another card.');
    await runAt(next + 30 * DAY);
    expect(await capturedOn(t.database.db, card)).toHaveLength(2);
    expect(await capturedOn(t.database.db, declining)).toEqual([]);
  });

  it('a paused membership resumes with a new month charged once; a declined card leaves it paused; only a paused one resumes', async () => {
    t.clock.set(TEST_NOW);
    const client = await signUp(t.app, 'client');
    const { id: planId } = await plan({ name: 'Resumable plan' });
    const declining = await saveCard(t.app, client, TEST_CARD.declined);
    const good = await saveCard(t.app, client);
    const joined = (await join(client, planId, good)).json<{ id: string }>();
    const active = await call(t.app, client, {
      method: 'POST',
      url: `/api/memberships/${joined.id}/resume`,
      payload: {},
    });
    expect(active.statusCode).toBe(409);
    expect(active.json().code).toBe('membership_not_active');
    await call(t.app, client, {
      method: 'PUT',
      url: `/api/memberships/${joined.id}/payment-method`,
      payload: { paymentMethodId: declining },
    });
    const periodEnd = Date.parse('2026-12-23T12:00:00Z');
    for (const at of [periodEnd, periodEnd + DAY, periodEnd + 4 * DAY]) await runAt(at);
    expect(await mine(client)).toMatchObject({ status: 'paused', failedAttempts: 3 });

    // A week later the client signs in again and resumes.
    const resumeAt = periodEnd + 7 * DAY;
    t.clock.set(resumeAt);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { email: client.email, password: 'correct horse battery' },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const again: Session = { ...client, cookie: sessionCookie(signedIn) };
    const resume = (payload: Record<string, unknown>) =>
      call(t.app, again, { method: 'POST', url: `/api/memberships/${joined.id}/resume`, payload });

    const declined = await resume({});
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'payment_declined', errors: [{ field: 'paymentMethodId' }] });
    expect(await mine(client)).toMatchObject({ status: 'paused' });

    // A double tap: one charge; the second answer is the same membership or "not paused any more".
    const answers = await Promise.all([resume({ paymentMethodId: good }), resume({ paymentMethodId: good })]);
    const ok = answers.filter((a) => a.statusCode === 200);
    expect(ok.length, answers.map((a) => a.body).join()).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((a) => a.statusCode !== 200)) expect(a.json().code).toBe('membership_not_active');
    expect(ok[0]!.json()).toMatchObject({
      status: 'active',
      failedAttempts: 0,
      renews: true,
      paymentMethodId: good,
      currentPeriodStart: '2026-12-30T12:00:00.000Z',
      currentPeriodEnd: '2027-01-30T12:00:00.000Z',
    });
    expect(await capturedOn(t.database.db, good)).toHaveLength(2);
    expect((await credits(client)).map((c) => c.startsAt).sort()).toEqual([
      '2026-11-23T12:00:00.000Z',
      new Date(resumeAt).toISOString(),
    ]);
    // It renews a month on, on the card it resumed with.
    await runAt(Date.parse('2027-01-30T12:00:00Z'));
    expect(await capturedOn(t.database.db, good)).toHaveLength(3);
    expect(await mine(client)).toMatchObject({ status: 'active', currentPeriodEnd: '2027-02-28T12:00:00.000Z' });
  });

  it('a cancelled membership runs to the end of its month and does not renew', async () => {
    t.clock.set(TEST_NOW);
    const client = await signUp(t.app, 'client');
    const { id: planId } = await plan({ name: 'Cancelled plan' });
    const card = await saveCard(t.app, client);
    const joined = (await join(client, planId, card)).json();
    const cancelled = await call(t.app, client, { method: 'POST', url: `/api/memberships/${joined.id}/cancel` });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'active', renews: false });
    await runAt(Date.parse('2026-12-23T12:00:00Z'));
    expect(await mine(client)).toMatchObject({ status: 'cancelled' });
    expect(await capturedOn(t.database.db, card)).toHaveLength(1);
    t.clock.set(TEST_NOW);
    const again = await call(t.app, client, { method: 'POST', url: `/api/memberships/${joined.id}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('membership_not_active');
    const card2 = await call(t.app, client, {
      method: 'PUT',
      url: `/api/memberships/${joined.id}/payment-method`,
      payload: { paymentMethodId: card },
    });
    expect(card2.statusCode).toBe(409);
    expect(card2.json().code).toBe('membership_not_active');
  });
});
