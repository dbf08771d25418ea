import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, decimalAmount, toCsv } from './csv.js';
import { type JournalRecord, marketTotals, therapistEarnings } from './earnings.js';
import { type MoneyEvent, accountKey, balancesOf, postingsFor } from './ledger-postings.js';

const THERAPISTS = ['t1', 't2'];
const BOOKINGS = ['b1', 'b2', 'b3', 'b4'];

const sessionMoney = fc.record({
  therapist: fc.constantFrom(...THERAPISTS),
  booking: fc.constantFrom(...BOOKINGS, null),
  amount: fc.integer({ min: 1, max: 50_000 }),
  sharePct: fc.nat(40),
  taxPct: fc.nat(10),
});

/** One random event: session money, a tip, or something else the earnings must ignore. */
const event = fc.oneof(
  sessionMoney.chain((s) =>
    fc.constantFrom('charge' as const, 'refund' as const, 'cancellation_fee' as const).map((kind) => ({ kind, ...s })),
  ),
  fc.record({
    kind: fc.constant('tip' as const),
    therapist: fc.constantFrom(...THERAPISTS),
    booking: fc.constantFrom(...BOOKINGS, null),
    amount: fc.integer({ min: 1, max: 5_000 }),
  }),
  fc.record({
    kind: fc.constant('payout' as const),
    therapist: fc.constantFrom(...THERAPISTS),
    from: fc.constantFrom('therapist_payable' as const, 'tips_payable' as const),
    amount: fc.integer({ min: 1, max: 30_000 }),
  }),
  fc.record({ kind: fc.constant('payment' as const), amount: fc.integer({ min: 1, max: 30_000 }) }),
  fc.record({ kind: fc.constant('package_issue' as const), amount: fc.integer({ min: 1, max: 30_000 }) }),
);

type Drawn = typeof event extends fc.Arbitrary<infer T> ? T : never;

function toRecord(drawn: Drawn, index: number): JournalRecord {
  let money: MoneyEvent;
  let bookingId: string | null = null;
  switch (drawn.kind) {
    case 'charge':
    case 'refund':
    case 'cancellation_fee':
      money = {
        kind: drawn.kind,
        clientId: 'c1',
        therapistId: drawn.therapist,
        amountMinor: drawn.amount,
        platformShareMinor: Math.floor((drawn.amount * drawn.sharePct) / 100),
        taxMinor: Math.floor((drawn.amount * drawn.taxPct) / 100),
      };
      bookingId = drawn.booking;
      break;
    case 'tip':
      money = { kind: 'tip', clientId: 'c1', therapistId: drawn.therapist, amountMinor: drawn.amount };
      bookingId = drawn.booking;
      break;
    case 'payout':
      money = { kind: 'payout', therapistId: drawn.therapist, from: drawn.from, amountMinor: drawn.amount };
      break;
    case 'payment':
      money = { kind: 'payment', clientId: 'c1', amountMinor: drawn.amount };
      break;
    case 'package_issue':
      money = { kind: 'package_issue', clientId: 'c1', packageId: 'p1', amountMinor: drawn.amount };
      break;
  }
  return {
    id: `j${index}`,
    kind: money.kind,
    bookingId,
    occurredAt: index,
    currency: 'USD',
    postings: postingsFor(money),
  };
}

const journal = fc.array(event, { maxLength: 60 }).map((events) => events.map(toRecord));
const neg = (x: number) => (x === 0 ? 0 : -x);

describe('earnings from the ledger', () => {
  it('reconcile with the account balances for any journal, split into periods anywhere', () => {
    fc.assert(
      fc.property(journal, fc.nat(), (entries, cut) => {
        const balances = balancesOf(entries.flatMap((e) => e.postings));
        const at = cut % (entries.length + 1);
        for (const t of THERAPISTS) {
          const whole = therapistEarnings(entries, t).totals;
          const owed = neg(
            (balances.get(accountKey('therapist_payable', t)) ?? 0) +
              (balances.get(accountKey('tips_payable', t)) ?? 0),
          );
          expect(whole.closingOwedMinor).toBe(owed);
          expect(whole.netPayableMinor - whole.payoutsMinor).toBe(owed);
          // Tips alone reconcile with the tips account, less the payouts from it.
          const tipPayouts = entries
            .flatMap((e) => e.postings)
            .filter((p) => p.account === 'tips_payable' && p.holder === t && p.amountMinor > 0)
            .reduce((sum, p) => sum + p.amountMinor, 0);
          expect(whole.tipsMinor - tipPayouts).toBe(neg(balances.get(accountKey('tips_payable', t)) ?? 0));

          // Two periods chain: the first's closing balance opens the second, and their figures add up.
          const first = therapistEarnings(entries.slice(0, at), t).totals;
          const second = therapistEarnings(entries.slice(at), t, first.closingOwedMinor);
          expect(second.totals.closingOwedMinor).toBe(owed);
          expect(first.grossMinor + second.totals.grossMinor).toBe(whole.grossMinor);
          expect(first.tipsMinor + second.totals.tipsMinor).toBe(whole.tipsMinor);
          expect(first.refundsMinor + second.totals.refundsMinor).toBe(whole.refundsMinor);
          // The lines' nets are the change in what is owed.
          const lineNets = second.lines.reduce((sum, line) => sum + line.netMinor, 0);
          expect(lineNets).toBe(second.totals.closingOwedMinor - second.totals.openingOwedMinor);
        }
        const market = marketTotals(entries);
        expect(market.platformRevenueMinor).toBe(neg(balances.get(accountKey('platform_revenue', null)) ?? 0));
        expect(market.taxCollectedMinor).toBe(neg(balances.get(accountKey('tax_payable', null)) ?? 0));
        const perTherapist = THERAPISTS.map((t) => therapistEarnings(entries, t).totals);
        expect(market.grossMinor).toBe(perTherapist.reduce((sum, x) => sum + x.grossMinor, 0));
        expect(market.tipsMinor).toBe(perTherapist.reduce((sum, x) => sum + x.tipsMinor, 0));
        expect(market.payoutsMinor).toBe(perTherapist.reduce((sum, x) => sum + x.payoutsMinor, 0));
        expect(market.refundsMinor).toBe(perTherapist.reduce((sum, x) => sum + x.refundsMinor, 0));
        expect(market.feesMinor).toBe(perTherapist.reduce((sum, x) => sum + x.feesMinor, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('count a session while some of its charge stands, and not once it is wholly refunded', () => {
    const charge = (amount: number): MoneyEvent => ({
      kind: 'charge',
      clientId: 'c1',
      therapistId: 't1',
      amountMinor: amount,
      platformShareMinor: amount / 5,
    });
    const refund = (amount: number): MoneyEvent => ({
      kind: 'refund',
      clientId: 'c1',
      therapistId: 't1',
      amountMinor: amount,
      platformShareMinor: amount / 5,
    });
    const entries: JournalRecord[] = [
      { booking: 'b1', event: charge(10_000) },
      { booking: 'b2', event: charge(10_000) },
      { booking: 'b2', event: refund(10_000) },
      { booking: 'b3', event: charge(5_000) },
      { booking: 'b3', event: refund(2_500) },
    ].map(({ booking, event: e }, i) => ({
      id: `j${i}`,
      kind: e.kind,
      bookingId: booking,
      occurredAt: i,
      currency: 'USD',
      postings: postingsFor(e),
    }));
    const { totals } = therapistEarnings(entries, 't1');
    expect(totals.sessions).toBe(2);
    expect(totals.grossMinor).toBe(25_000);
    expect(totals.platformFeeMinor).toBe(5_000);
    expect(totals.refundsMinor).toBe(12_500);
    expect(totals.refundsTherapistMinor).toBe(10_000);
    expect(totals.netPayableMinor).toBe(10_000);
  });
});

describe('CSV', () => {
  it('quotes as RFC 4180 says and keeps formulas from running', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
    expect(csvCell(decimalAmount(-305))).toBe('-3.05');
    expect(csvCell(decimalAmount(1200))).toBe('12.00');
    expect(csvCell(decimalAmount(7, 0))).toBe('7');
    expect(
      toCsv([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });
});
