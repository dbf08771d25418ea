import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../lib/api-client';
import type { SessionTip, TipInput } from '../lib/api-types';
import { browserZone, clockTime, formatMoney, formatWhen } from '../lib/format';
import { Field, FieldSet } from './field';
import { ErrorNotice, Loading } from './states';

const tipKey = (bookingId: string) => ['tip', bookingId] as const;

function useTip(bookingId: string) {
  return useQuery({
    queryKey: tipKey(bookingId),
    queryFn: () => api.get<SessionTip>(`/api/bookings/${bookingId}/tip`),
    // A pending tip is charged at its time: look again now and then so the panel says thank you.
    refetchInterval: (query) => (query.state.data?.tip?.status === 'pending' ? 60_000 : false),
  });
}

function useTipChange(bookingId: string) {
  const client = useQueryClient();
  const onSuccess = (view: SessionTip) => client.setQueryData(tipKey(bookingId), view);
  return {
    give: useMutation({
      mutationFn: (input: TipInput) => api.put<SessionTip>(`/api/bookings/${bookingId}/tip`, input),
      onSuccess,
    }),
    withdraw: useMutation({
      mutationFn: () => api.delete<SessionTip>(`/api/bookings/${bookingId}/tip`),
      onSuccess,
    }),
  };
}

type Choice = { percent: number } | 'other' | null;

/** Cents from what a person types as dollars ("12", "12.5", "$12.50"); undefined when it is not an amount. */
export function centsOf(typed: string): number | undefined {
  const cleaned = typed.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Math.round(Number(cleaned) * 100);
}

/**
 * A tip for the therapist after the session, on the rating screen and in the aftercare: preset amounts or an amount
 * of one's own, for 72 hours after check-out, once. A tip stays changeable for 15 minutes and is charged then.
 */
export function TipPanel({ bookingId, therapistName }: { bookingId: string; therapistName: string }) {
  const tip = useTip(bookingId);
  const { give, withdraw } = useTipChange(bookingId);
  const [choice, setChoice] = useState<Choice>(null);
  const [other, setOther] = useState('');
  const [changing, setChanging] = useState(false);
  if (tip.isLoading) return <Loading label="Loading your tip…" />;
  if (tip.error || !tip.data) return <ErrorNotice error={tip.error} />;
  const view = tip.data;
  if (view.state === 'not_yet' || (view.state === 'closed' && !view.tip)) return null;
  const money = (cents: number) => formatMoney(cents, view.currency);
  const given = view.tip && view.tip.status !== 'failed' ? view.tip : null;

  const heading = <h2 id={`tip-heading-${bookingId}`}>Tip {therapistName}</h2>;

  if (given && given.status === 'charged') {
    return (
      <section className="card" aria-labelledby={`tip-heading-${bookingId}`}>
        {heading}
        <p role="status">
          Thank you. Your tip of {money(given.amountMinor)} goes to {therapistName} in full.
        </p>
      </section>
    );
  }

  if (given && !changing) {
    return (
      <section className="card stack" aria-labelledby={`tip-heading-${bookingId}`}>
        {heading}
        <p role="status">
          Tip of {money(given.amountMinor)}, charged at {clockTime(given.editableUntil, browserZone())} to{' '}
          {given.card.brand} ending {given.card.last4}; you can change it until then.
        </p>
        <ErrorNotice error={withdraw.error} />
        <div className="actions">
          <button
            type="button"
            className="btn"
            onClick={() => {
              setChoice(given.percent !== null ? { percent: given.percent } : 'other');
              setOther(given.percent === null ? (given.amountMinor / 100).toFixed(2) : '');
              setChanging(true);
            }}
          >
            Change tip
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            disabled={withdraw.isPending}
            onClick={() => withdraw.mutate()}
          >
            Withdraw tip
          </button>
        </div>
      </section>
    );
  }

  const otherCents = centsOf(other);
  const failed = view.tip?.status === 'failed' ? view.tip : null;
  const submit = () => {
    if (choice === null) return;
    const input: TipInput = choice === 'other' ? { amountMinor: otherCents ?? -1 } : { percent: choice.percent };
    give.mutate(input, { onSuccess: () => setChanging(false) });
  };
  const chosenAmount =
    choice === null
      ? undefined
      : choice === 'other'
        ? otherCents
        : view.presets.find((p) => p.percent === choice.percent)?.amountMinor;

  return (
    <section className="card" aria-labelledby={`tip-heading-${bookingId}`}>
      {heading}
      {failed && (
        <div className="notice notice-warning" role="alert">
          <p>
            Your tip of {money(failed.amountMinor)} could not be charged:{' '}
            {failed.failureMessage ?? 'the card was refused'}. You can try again, with another card if you have one.
          </p>
        </div>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <FieldSet
          legend={`Tips go to ${therapistName} in full.`}
          hint={view.closesAt ? `You can tip until ${formatWhen(view.closesAt)}.` : undefined}
          error={fieldError(give.error, 'percent')}
        >
          <div className="choice-row">
            {view.presets.map((p) => (
              <label key={p.percent} className="choice">
                <input
                  type="radio"
                  name={`tip-${bookingId}`}
                  checked={choice !== null && choice !== 'other' && choice.percent === p.percent}
                  onChange={() => setChoice({ percent: p.percent })}
                />
                <span>
                  {money(p.amountMinor)}
                  <small>{p.percent}% of the session</small>
                </span>
              </label>
            ))}
            <label className="choice">
              <input
                type="radio"
                name={`tip-${bookingId}`}
                checked={choice === 'other'}
                onChange={() => setChoice('other')}
              />
              <span>Other amount</span>
            </label>
          </div>
        </FieldSet>
        {choice === 'other' && (
          <Field
            label={`Amount (${view.currency})`}
            hint="Up to the price of the session."
            error={
              fieldError(give.error, 'amountMinor') ??
              (other.trim() !== '' && otherCents === undefined ? 'Type an amount such as 12 or 12.50' : undefined)
            }
          >
            {(control) => (
              <input
                {...control}
                inputMode="decimal"
                autoComplete="off"
                value={other}
                onChange={(e) => setOther(e.target.value)}
              />
            )}
          </Field>
        )}
        <ErrorNotice error={give.error} shownFields={['percent', 'amountMinor']} />
        <div className="actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={chosenAmount === undefined || chosenAmount <= 0 || give.isPending}
          >
            {chosenAmount ? `Tip ${money(chosenAmount)}` : 'Tip'}
          </button>
          {changing && (
            <button type="button" className="btn btn-quiet" onClick={() => setChanging(false)}>
              Keep my tip
            </button>
          )}
        </div>
        <p className="muted">You can change or withdraw a tip for 15 minutes; it is charged then.</p>
      </form>
    </section>
  );
}
