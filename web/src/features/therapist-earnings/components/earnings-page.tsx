import { useState } from 'react';
import { type Period, PeriodPicker, periodOf, todayHere } from '../../../shared/components/period-picker';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import type { Earnings, EarningsLine } from '../../../shared/lib/api-types';
import { addDays, formatIsoDate, formatMoney, isoDateIn } from '../../../shared/lib/format';
import { earningsCsvUrl, useEarnings } from '../api/earnings';
import { ColumnHeads } from '../../../shared/components/column-heads';

const KIND: Record<string, string> = {
  charge: 'Session',
  refund: 'Refund',
  cancellation_fee: 'Late cancellation or no-show fee',
  tip: 'Tip',
  payout: 'Payout',
};

const shortDate = (date: string) => formatIsoDate(date, { weekday: 'short', month: 'short', day: 'numeric' });

function Totals({ data }: { data: Earnings }) {
  const m = (minor: number) => formatMoney(minor, data.currency);
  const t = data.totals;
  const rows: [string, string, string?][] = [
    ['Sessions', String(t.sessions)],
    ['Gross', m(t.grossMinor), 'What clients paid for your sessions, before tax'],
    ['Platform fee', `− ${m(t.platformFeeMinor)}`, 'The market’s commission'],
    ['Fees', `+ ${m(t.feesTherapistMinor)}`, `Your part of ${m(t.feesMinor)} in late cancellation and no-show fees`],
    ['Refunds', `− ${m(t.refundsTherapistMinor)}`, `Your part of ${m(t.refundsMinor)} refunded`],
    ['Tips', `+ ${m(t.tipsMinor)}`, 'Yours in full'],
  ];
  return (
    <table className="data-table money-totals">
      <caption>
        {shortDate(data.from)} to {shortDate(addDays(data.to, -1))}
      </caption>
      <tbody>
        {rows.map(([label, value, note]) => (
          <tr key={label}>
            <th scope="row">
              {label}
              {note && <span className="muted money-note">{note}</span>}
            </th>
            <td className="amount">{value}</td>
          </tr>
        ))}
        <tr className="money-sum">
          <th scope="row">Net payable</th>
          <td className="amount">{m(t.netPayableMinor)}</td>
        </tr>
        <tr>
          <th scope="row">Paid out in this period</th>
          <td className="amount">{m(t.payoutsMinor)}</td>
        </tr>
        <tr className="money-sum">
          <th scope="row">
            Still owed to you
            <span className="muted money-note">At the end of the period, earlier periods included</span>
          </th>
          <td className="amount">{m(t.closingOwedMinor)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Lines({ lines, currency }: { lines: EarningsLine[]; currency: string }) {
  const m = (minor: number) => (minor === 0 ? '—' : formatMoney(minor, currency));
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">Each session, fee, tip, refund and payout in the period</caption>
        <ColumnHeads text={['Date', 'What']} amounts={['Gross', 'Platform fee', 'Tip', 'Net']} />
        <tbody>
          {lines.map((line) => (
            <tr key={line.journalId}>
              <td data-label="Date">{shortDate(line.date)}</td>
              <td data-label="What">
                {line.bookingId ? (
                  <Link to={`/therapist/sessions/${line.bookingId}`}>{KIND[line.kind]}</Link>
                ) : (
                  KIND[line.kind]
                )}
              </td>
              <td data-label="Gross" className="amount">
                {m(line.grossMinor)}
              </td>
              <td data-label="Platform fee" className="amount">
                {m(line.platformFeeMinor)}
              </td>
              <td data-label="Tip" className="amount">
                {m(line.tipMinor)}
              </td>
              <td data-label="Net" className="amount">
                {formatMoney(line.netMinor, currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EarningsPage() {
  const [period, setPeriod] = useState<Period>(() => periodOf('month', todayHere()));
  const earnings = useEarnings(period.from, period.to);
  const data = earnings.data;
  return (
    <div className="stack">
      <PageHeader title="Earnings">
        <p>What your sessions earned, what the platform kept, your tips, and what has been paid out.</p>
      </PageHeader>
      <PeriodPicker
        period={period}
        onChange={setPeriod}
        errors={{ from: fieldError(earnings.error, 'from'), to: fieldError(earnings.error, 'to') }}
      />
      <ErrorNotice error={earnings.error} shownFields={['from', 'to']} />
      {earnings.isLoading && <Loading label="Loading earnings…" />}
      {data && (
        <>
          <section className="stack" aria-labelledby="earnings-totals">
            <div className="row-between">
              <h2 id="earnings-totals">Totals</h2>
              <a className="btn btn-small" href={earningsCsvUrl(data.from, data.to)} download>
                Download CSV
              </a>
            </div>
            <Totals data={data} />
            <p className="muted">
              Owed to you today: {formatMoney(data.owedNow.earningsMinor, data.currency)} from sessions and{' '}
              {formatMoney(data.owedNow.tipsMinor, data.currency)} from tips.
            </p>
          </section>
          <section className="stack" aria-labelledby="earnings-lines">
            <h2 id="earnings-lines">Sessions and payments</h2>
            {data.lines.length === 0 ? (
              <EmptyState title="Nothing was earned or paid out in this period." />
            ) : (
              <Lines lines={data.lines} currency={data.currency} />
            )}
          </section>
          <section className="stack" aria-labelledby="earnings-payouts">
            <h2 id="earnings-payouts">Payouts</h2>
            {data.payouts.length === 0 ? (
              <p className="muted">No payouts were recorded in this period.</p>
            ) : (
              <ul className="plain-list">
                {data.payouts.map((p) => (
                  <li key={p.id}>
                    {formatMoney(p.amountMinor, p.currency)} from{' '}
                    {p.from === 'tips_payable' ? 'tips' : 'session earnings'} on{' '}
                    {shortDate(isoDateIn(p.recordedAt, data.timeZone))}{' '}
                    <span className="muted">(reference {p.reference})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
