import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MoneyEvent, type Posting, accountKey, balancesOf, postingsFor } from './ledger-postings.js';

/** Minus, without the -0 that toBe tells apart from 0. */
const neg = (x: number) => (x === 0 ? 0 : -x);
const CLIENTS = ['c1', 'c2', 'c3'];
const THERAPISTS = ['t1', 't2'];

/** A business step of the random story; indexes pick among what exists, amounts are cut to what is possible. */
const step = fc.oneof(
  fc.record({
    op: fc.constant('book' as const),
    client: fc.nat(2),
    therapist: fc.nat(1),
    price: fc.integer({ min: 1, max: 50_000 }),
    sharePct: fc.nat(40),
  }),
  fc.record({ op: fc.constant('cancel' as const), booking: fc.nat(), feePct: fc.constantFrom(0, 50, 100) }),
  fc.record({ op: fc.constant('tip' as const), booking: fc.nat(), amount: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ op: fc.constant('refund' as const), booking: fc.nat(), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ op: fc.constant('giftCard' as const), client: fc.nat(2), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ op: fc.constant('package' as const), client: fc.nat(2), amount: fc.integer({ min: 1, max: 90_000 }) }),
  fc.record({
    op: fc.constant('redeemGiftCard' as const),
    card: fc.nat(),
    amount: fc.integer({ min: 1, max: 20_000 }),
  }),
  fc.record({ op: fc.constant('redeemPackage' as const), pack: fc.nat(), amount: fc.integer({ min: 1, max: 90_000 }) }),
  fc.record({ op: fc.constant('pay' as const), client: fc.nat(2), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({
    op: fc.constant('taxedCharge' as const),
    client: fc.nat(2),
    therapist: fc.nat(1),
    price: fc.integer({ min: 1, max: 50_000 }),
    tax: fc.integer({ min: 0, max: 5_000 }),
  }),
  fc.record({ op: fc.constant('payout' as const), therapist: fc.nat(1), tips: fc.boolean(), share: fc.nat(100) }),
);

interface Booking {
  clientId: string;
  therapistId: string;
  price: number;
  share: number;
  confirmed: boolean;
  refunded: number;
}
interface Stored {
  id: string;
  clientId: string;
  left: number;
}

/**
 * Plays a story of bookings, cancellations, tips, refunds, gift cards, packages and payments, returning the events
 * and, kept apart from the ledger, what each party should end up owing or being owed.
 */
function play(steps: readonly object[]) {
  const bookings: Booking[] = [];
  const cards: Stored[] = [];
  const packs: Stored[] = [];
  const events: MoneyEvent[] = [];
  const owes = new Map<string, number>(); // client → what they owe (negative: what they are owed)
  const earned = new Map<string, number>(); // therapist → session earnings owed to them
  const tips = new Map<string, number>();
  let revenue = 0;
  let atProvider = 0;
  let taxes = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  /** A session amount split as the engine must: the platform's share in proportion, the rest the therapist's. */
  const session = (b: Booking, amount: number) => {
    const share = Math.floor((amount * b.share) / b.price);
    return { clientId: b.clientId, therapistId: b.therapistId, amountMinor: amount, platformShareMinor: share };
  };
  for (const s of steps as ({ op: string } & Partial<Record<string, number>>)[]) {
    const b = bookings.length ? bookings[s.booking! % bookings.length]! : undefined;
    switch (s.op) {
      case 'book': {
        const nb = {
          clientId: CLIENTS[s.client!]!,
          therapistId: THERAPISTS[s.therapist!]!,
          price: s.price!,
          share: Math.floor((s.price! * s.sharePct!) / 100),
          confirmed: true,
          refunded: 0,
        };
        bookings.push(nb);
        events.push({ kind: 'charge', ...session(nb, nb.price), platformShareMinor: nb.share });
        add(owes, nb.clientId, nb.price);
        add(earned, nb.therapistId, nb.price - nb.share);
        revenue += nb.share;
        break;
      }
      case 'cancel': {
        if (!b?.confirmed) break;
        b.confirmed = false;
        const back = b.price - b.refunded;
        if (back > 0) {
          const e = session(b, back);
          events.push({ kind: 'refund', ...e });
          add(owes, b.clientId, -back);
          add(earned, b.therapistId, -(back - e.platformShareMinor));
          revenue -= e.platformShareMinor;
        }
        const fee = Math.floor((b.price * s.feePct!) / 100);
        if (fee > 0) {
          const e = session(b, fee);
          events.push({ kind: 'cancellation_fee', ...e });
          add(owes, b.clientId, fee);
          add(earned, b.therapistId, fee - e.platformShareMinor);
          revenue += e.platformShareMinor;
        }
        break;
      }
      case 'refund': {
        if (!b?.confirmed) break;
        const amount = Math.min(s.amount!, b.price - b.refunded);
        if (amount <= 0) break;
        b.refunded += amount;
        const e = session(b, amount);
        events.push({ kind: 'refund', ...e });
        add(owes, b.clientId, -amount);
        add(earned, b.therapistId, -(amount - e.platformShareMinor));
        revenue -= e.platformShareMinor;
        break;
      }
      case 'tip':
        if (!b) break;
        events.push({ kind: 'tip', clientId: b.clientId, therapistId: b.therapistId, amountMinor: s.amount! });
        add(owes, b.clientId, s.amount!);
        add(tips, b.therapistId, s.amount!);
        break;
      case 'giftCard':
      case 'package': {
        const stored = { id: `${s.op}-${cards.length + packs.length}`, clientId: CLIENTS[s.client!]!, left: s.amount! };
        (s.op === 'giftCard' ? cards : packs).push(stored);
        events.push(
          s.op === 'giftCard'
            ? { kind: 'gift_card_issue', clientId: stored.clientId, giftCardId: stored.id, amountMinor: s.amount! }
            : { kind: 'package_issue', clientId: stored.clientId, packageId: stored.id, amountMinor: s.amount! },
        );
        add(owes, stored.clientId, s.amount!);
        break;
      }
      case 'redeemGiftCard':
      case 'redeemPackage': {
        const list = s.op === 'redeemGiftCard' ? cards : packs;
        const stored = list.length ? list[(s.card ?? s.pack)! % list.length]! : undefined;
        const amount = Math.min(s.amount!, stored?.left ?? 0);
        if (!stored || amount <= 0) break;
        stored.left -= amount;
        events.push(
          s.op === 'redeemGiftCard'
            ? { kind: 'gift_card_redemption', clientId: stored.clientId, giftCardId: stored.id, amountMinor: amount }
            : { kind: 'package_redemption', clientId: stored.clientId, packageId: stored.id, amountMinor: amount },
        );
        add(owes, stored.clientId, -amount);
        break;
      }
      case 'taxedCharge': {
        const [clientId, therapistId] = [CLIENTS[s.client!]!, THERAPISTS[s.therapist!]!];
        events.push({
          kind: 'charge',
          clientId,
          therapistId,
          amountMinor: s.price!,
          platformShareMinor: 0,
          taxMinor: s.tax!,
        });
        add(owes, clientId, s.price! + s.tax!);
        add(earned, therapistId, s.price!);
        taxes += s.tax!;
        break;
      }
      case 'payout': {
        const therapistId = THERAPISTS[s.therapist!]!;
        const from = s.tips ? tips : earned;
        const amount = Math.floor(((from.get(therapistId) ?? 0) * s.share!) / 100);
        if (amount <= 0) break;
        events.push({
          kind: 'payout',
          therapistId,
          from: s.tips ? 'tips_payable' : 'therapist_payable',
          amountMinor: amount,
        });
        add(from, therapistId, -amount);
        atProvider -= amount;
        break;
      }
      case 'pay':
        events.push({ kind: 'payment', clientId: CLIENTS[s.client!]!, amountMinor: s.amount! });
        add(owes, CLIENTS[s.client!]!, -s.amount!);
        atProvider += s.amount!;
        break;
    }
  }
  return { events, owes, earned, tips, revenue, atProvider, taxes, cards, packs };
}

describe('the double-entry ledger core', () => {
  it('balances every entry, and each account’s balance is what the story says it owes or is owed, taxes and payouts included', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const story = play(steps);
        const journal: Posting[][] = story.events.map(postingsFor);
        for (const entry of journal) {
          expect(entry.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(0);
          expect(entry.length).toBeGreaterThanOrEqual(2);
          for (const p of entry) expect(Number.isSafeInteger(p.amountMinor) && p.amountMinor !== 0).toBe(true);
        }
        const balances = balancesOf(journal.flat());
        const balance = (key: string) => balances.get(key) ?? 0;
        // Each account's balance is the sum of its own postings, and all balances together net to zero.
        for (const [key, total] of balances) {
          const own = journal.flat().filter((p) => accountKey(p.account, p.holder) === key);
          expect(own.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(total);
        }
        expect([...balances.values()].reduce((a, b) => a + b, 0)).toBe(0);
        for (const c of CLIENTS) expect(balance(accountKey('client', c))).toBe(story.owes.get(c) ?? 0);
        for (const t of THERAPISTS) {
          expect(balance(accountKey('therapist_payable', t))).toBe(neg(story.earned.get(t) ?? 0));
          expect(balance(accountKey('tips_payable', t))).toBe(neg(story.tips.get(t) ?? 0));
        }
        expect(balance(accountKey('platform_revenue', null))).toBe(neg(story.revenue));
        expect(balance(accountKey('provider_clearing', null))).toBe(story.atProvider);
        expect(balance(accountKey('tax_payable', null))).toBe(neg(story.taxes));
        for (const card of story.cards)
          expect(balance(accountKey('gift_card_liability', card.id))).toBe(neg(card.left));
        for (const pack of story.packs) expect(balance(accountKey('package_liability', pack.id))).toBe(neg(pack.left));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses amounts that are not positive whole minor units, and a platform share larger than the amount', () => {
    const session = { clientId: 'c', therapistId: 't', platformShareMinor: 0 };
    for (const amountMinor of [0, -5, 1.5, Number.NaN]) {
      expect(() => postingsFor({ kind: 'charge', ...session, amountMinor })).toThrow(RangeError);
    }
    expect(() => postingsFor({ kind: 'charge', ...session, amountMinor: 100, platformShareMinor: 101 })).toThrow(
      RangeError,
    );
  });
});
