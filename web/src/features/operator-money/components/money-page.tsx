import { ColumnHeads } from '../../../shared/components/column-heads';
import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { type Period, PeriodPicker, periodOf, todayHere } from '../../../shared/components/period-picker';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { MarketMoney, OperatorMoney } from '../../../shared/lib/api-types';
import { formatMoney, formatWhen } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import {
  operatorMoneyCsvUrl,
  useMarketMoney,
  useOperatorMoney,
  useRecordPayout,
  useSetMarketMoney,
} from '../api/money';

/** "12.50" typed by a person as minor units (1250); null when it is not an amount. */
function minorFromDecimal(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

const percentFromBp = (bp: number) => String(bp / 100);
const bpFromPercent = (text: string) => Math.round(Number(text) * 100);

function MarketTotals({ data }: { data: OperatorMoney }) {
  if (data.totals.length === 0) return <EmptyState title="No money moved in this market in this period." />;
  return (
    <>
      {data.totals.map((t) => {
        const m = (minor: number) => formatMoney(minor, t.currency);
        const rows: [string, string][] = [
          ['Gross (sessions, before tax)', m(t.grossMinor)],
          ['Platform revenue', m(t.platformRevenueMinor)],
          ['Tips', m(t.tipsMinor)],
          ['Late cancellation and no-show fees', m(t.feesMinor)],
          ['Refunds', m(t.refundsMinor)],
          ['Tax collected', m(t.taxCollectedMinor)],
          ['Paid out to therapists', m(t.payoutsMinor)],
        ];
        return (
          <table key={t.currency} className="data-table money-totals">
            <caption className="visually-hidden">Market totals in {t.currency}</caption>
            <tbody>
              {rows.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="amount">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}

function Therapists({ data }: { data: OperatorMoney }) {
  if (data.therapists.length === 0) return <p className="muted">No therapist has earnings in this market yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">
          Each therapist’s earnings in the period and what they are owed now
        </caption>
        <ColumnHeads
          text={['Therapist']}
          amounts={['Gross', 'Platform fee', 'Tips', 'Net payable', 'Paid out', 'Owed now']}
        />
        <tbody>
          {data.therapists.map((t) => {
            const m = (minor: number) => formatMoney(minor, t.currency);
            return (
              <tr key={`${t.therapistId}-${t.currency}`}>
                <td data-label="Therapist">{t.displayName}</td>
                <td data-label="Gross" className="amount">
                  {m(t.grossMinor)}
                </td>
                <td data-label="Platform fee" className="amount">
                  {m(t.platformFeeMinor)}
                </td>
                <td data-label="Tips" className="amount">
                  {m(t.tipsMinor)}
                </td>
                <td data-label="Net payable" className="amount">
                  {m(t.netPayableMinor)}
                </td>
                <td data-label="Paid out" className="amount">
                  {m(t.payoutsMinor)}
                </td>
                <td data-label="Owed now" className="amount">
                  {m(t.owedEarningsMinor)} <span className="muted">+ {m(t.owedTipsMinor)} tips</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PayoutForm({ data }: { data: OperatorMoney }) {
  const record = useRecordPayout();
  const [therapistId, setTherapistId] = useState('');
  const [from, setFrom] = useState<'therapist_payable' | 'tips_payable'>('therapist_payable');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [amountProblem, setAmountProblem] = useState<string | undefined>();
  const chosen = data.therapists.find((t) => t.therapistId === therapistId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amountMinor = minorFromDecimal(amount);
    if (amountMinor === null || amountMinor === 0) {
      setAmountProblem('Write the amount like 120 or 120.50');
      return;
    }
    setAmountProblem(undefined);
    record.mutate(
      { therapistId, from, amountMinor, reference: reference.trim() },
      { onSuccess: () => (setAmount(''), setReference('')) },
    );
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="payout-form">
      <h2 id="payout-form">Record a payout</h2>
      <p className="muted">After sending the money by bank transfer, record it here so it leaves what is owed.</p>
      <div className="filters">
        <Field label="Therapist" error={fieldError(record.error, 'therapistId')}>
          {(p) => (
            <select {...p} required value={therapistId} onChange={(e) => setTherapistId(e.target.value)}>
              <option value="">Choose…</option>
              {data.therapists.map((t) => (
                <option key={`${t.therapistId}-${t.currency}`} value={t.therapistId}>
                  {t.displayName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Paid from" error={fieldError(record.error, 'from')}>
          {(p) => (
            <select {...p} value={from} onChange={(e) => setFrom(e.target.value as typeof from)}>
              <option value="therapist_payable">Session earnings</option>
              <option value="tips_payable">Tips</option>
            </select>
          )}
        </Field>
        <Field
          label={`Amount${chosen ? ` (${chosen.currency})` : ''}`}
          hint={
            chosen
              ? `Owed: ${formatMoney(from === 'tips_payable' ? chosen.owedTipsMinor : chosen.owedEarningsMinor, chosen.currency)}`
              : undefined
          }
          error={amountProblem ?? fieldError(record.error, 'amountMinor')}
        >
          {(p) => (
            <input {...p} required inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
          )}
        </Field>
        <Field label="Transfer reference" error={fieldError(record.error, 'reference')}>
          {(p) => (
            <input {...p} required maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
          )}
        </Field>
      </div>
      <ErrorNotice error={record.error} shownFields={['therapistId', 'from', 'amountMinor', 'reference']} />
      {record.isSuccess && (
        <p role="status" className="notice notice-success">
          Payout of {formatMoney(record.data.amountMinor, record.data.currency)} recorded.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={record.isPending}>
          Record payout
        </button>
      </div>
    </form>
  );
}

function CommissionForm({ market, terms }: { market: string; terms: MarketMoney }) {
  const save = useSetMarketMoney(market);
  const [commission, setCommission] = useState(percentFromBp(terms.commissionBp));
  const [fee, setFee] = useState((terms.serviceFeeMinor / 100).toFixed(2));
  const [tax, setTax] = useState(percentFromBp(terms.taxBp));
  const [taxLabel, setTaxLabel] = useState(terms.taxLabel ?? '');
  const [feeProblem, setFeeProblem] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const serviceFeeMinor = minorFromDecimal(fee);
    if (serviceFeeMinor === null) {
      setFeeProblem('Write the fee like 0, 3 or 2.50');
      return;
    }
    setFeeProblem(undefined);
    save.mutate({
      commissionBp: bpFromPercent(commission),
      serviceFeeMinor,
      taxBp: bpFromPercent(tax),
      taxLabel: taxLabel.trim() || null,
    });
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="commission-form">
      <h2 id="commission-form">Commission, booking fee and tax</h2>
      <p className="muted">
        Applies to sessions confirmed from now on.{' '}
        {terms.updatedAt
          ? `Last set ${formatWhen(terms.updatedAt)}${terms.updatedBy ? ` by ${terms.updatedBy}` : ''}.`
          : 'These are the defaults; nobody has set them for this market.'}
      </p>
      <div className="filters">
        <Field
          label="Commission (%)"
          hint="The platform’s share of each session price"
          error={fieldError(save.error, 'commissionBp')}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={100}
              step={0.01}
              required
              value={commission}
              onChange={(e) => setCommission(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Booking fee"
          hint="Paid by the client on top of the price"
          error={feeProblem ?? fieldError(save.error, 'serviceFeeMinor')}
        >
          {(p) => <input {...p} inputMode="decimal" required value={fee} onChange={(e) => setFee(e.target.value)} />}
        </Field>
        <Field label="Sales tax (%)" error={fieldError(save.error, 'taxBp')}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={50}
              step={0.001}
              required
              value={tax}
              onChange={(e) => setTax(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Tax name on receipts"
          hint="Such as Sales tax; needed when there is a tax"
          error={fieldError(save.error, 'taxLabel')}
        >
          {(p) => <input {...p} maxLength={40} value={taxLabel} onChange={(e) => setTaxLabel(e.target.value)} />}
        </Field>
      </div>
      <ErrorNotice error={save.error} shownFields={['commissionBp', 'serviceFeeMinor', 'taxBp', 'taxLabel']} />
      {save.isSuccess && (
        <p role="status" className="notice notice-success">
          Saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          Save terms
        </button>
      </div>
    </form>
  );
}

export function MoneyPage() {
  const markets = useMarkets();
  const [chosenMarket, setMarket] = useState<string | undefined>();
  const market = chosenMarket ?? markets.data?.[0]?.id;
  const [period, setPeriod] = useState<Period>(() => periodOf('month', todayHere()));
  const money = useOperatorMoney(market, period.from, period.to);
  const terms = useMarketMoney(market);
  const data = money.data;
  return (
    <div className="stack">
      <PageHeader title="Money">
        <p>A market’s takings, refunds, open disputes and payouts, and its commission.</p>
      </PageHeader>
      <div className="filters">
        <Field label="Market">
          {(p) => (
            <select {...p} value={market ?? ''} onChange={(e) => setMarket(e.target.value)}>
              {markets.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <PeriodPicker
        period={period}
        onChange={setPeriod}
        errors={{ from: fieldError(money.error, 'from'), to: fieldError(money.error, 'to') }}
      />
      <ErrorNotice error={markets.error ?? money.error} shownFields={['from', 'to']} />
      {(markets.isLoading || money.isLoading) && <Loading label="Loading the market’s money…" />}
      {data && market && (
        <>
          <section className="stack" aria-labelledby="money-totals-heading">
            <div className="row-between">
              <h2 id="money-totals-heading">Totals</h2>
              <a className="btn btn-small" href={operatorMoneyCsvUrl(market, data.from, data.to)} download>
                Download CSV
              </a>
            </div>
            <MarketTotals data={data} />
          </section>
          <section className="stack" aria-labelledby="money-disputes">
            <h2 id="money-disputes">Open disputes ({data.openDisputesCount})</h2>
            {data.openDisputes.length === 0 ? (
              <p className="muted">No disputes are open.</p>
            ) : (
              <ul className="plain-list">
                {data.openDisputes.map((d) => (
                  <li key={d.id}>
                    {formatMoney(d.amountMinor, d.currency)} disputed by {d.clientName}
                    {d.therapistName ? ` (session with ${d.therapistName})` : ''}, opened {formatWhen(d.openedAt)}
                    {d.reason ? <span className="muted"> · {d.reason}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="stack" aria-labelledby="money-therapists">
            <h2 id="money-therapists">Therapists</h2>
            <Therapists data={data} />
          </section>
          <PayoutForm data={data} />
          <section className="stack" aria-labelledby="money-payouts">
            <h2 id="money-payouts">Payouts in this period</h2>
            {data.payouts.length === 0 ? (
              <p className="muted">No payouts were recorded in this period.</p>
            ) : (
              <ul className="plain-list">
                {data.payouts.map((p) => (
                  <li key={p.id}>
                    {formatMoney(p.amountMinor, p.currency)} to {p.therapistName} from{' '}
                    {p.from === 'tips_payable' ? 'tips' : 'session earnings'}, {formatWhen(p.recordedAt)}{' '}
                    <span className="muted">(reference {p.reference})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {market && terms.data && (
        <CommissionForm key={`${market}-${terms.data.updatedAt}`} market={market} terms={terms.data} />
      )}
      <ErrorNotice error={terms.error} />
    </div>
  );
}
