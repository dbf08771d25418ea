import { useState } from 'react';
import { Field, FieldSet } from '../../../shared/components/field';
import { PayWith, cardToPayWith, focusPayWithProblem, usePayWith } from '../../../shared/components/pay-with';
import { centsOf } from '../../../shared/components/tip-panel';
import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { GiftCardBought } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import { Link } from '../../../shared/lib/router';
import { useBuyGiftCard } from '../api/prepaid';
import { GIFT_CARD_MAX_MINOR, GIFT_CARD_MIN_MINOR, GIFT_CARD_PRESETS } from '../lib/offer-words';
import { paymentProblem } from '../lib/payment-problem';

const CURRENCY = 'USD';
const money = (minor: number) => formatMoney(minor, CURRENCY);
const GIFT_FIELDS = ['amountMinor', 'recipientName', 'recipientEmail', 'message', 'paymentMethodId'];

type Amount = { preset: number } | 'other';

/** What happens now that the gift card is paid: the code goes to the recipient by e-mail, to nobody else. */
function Bought({
  card,
  name,
  email,
  onAnother,
}: {
  card: GiftCardBought;
  name: string;
  email: string;
  onAnother: () => void;
}) {
  return (
    <section className="card stack" aria-labelledby="gift-bought-heading">
      <h2 id="gift-bought-heading" tabIndex={-1}>
        Your gift card is on its way
      </h2>
      <p role="status">
        You paid {formatMoney(card.amountMinor, card.currency)} for a gift card for {name}. Its code (ending{' '}
        <strong>{card.last4}</strong>) is e-mailed now: to {name} at {email}, with your message, when that address has a
        Knotwork account; otherwise to you, to pass on. The code is shown nowhere else.
      </p>
      <p>
        {name} enters the code when confirming a booking, and its balance pays as much of each session as it can. Anyone
        with the code can <Link to="/gift-cards/balance">check its balance</Link>.
      </p>
      <p className="muted small">The receipt is in your Payments.</p>
      <div className="actions">
        <button type="button" className="btn" onClick={onAnother}>
          Buy another gift card
        </button>
        <Link className="btn btn-link" to="/payments">
          Payments
        </Link>
      </div>
    </section>
  );
}

/**
 * Buying a gift card for someone: an amount (presets, or one's own within the API's limits), the recipient's name
 * and e-mail, a message, and a card. Each problem the API names is said at its field.
 */
export function BuyGiftCardPage() {
  const markets = useMarkets();
  const [amount, setAmount] = useState<Amount>({ preset: GIFT_CARD_PRESETS[1] });
  const [other, setOther] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const payWith = usePayWith();
  const buy = useBuyGiftCard();
  const [bought, setBought] = useState<{ card: GiftCardBought; name: string; email: string } | null>(null);
  const market = markets.data?.[0]?.id;
  const marketName = markets.data?.[0]?.name ?? 'Knotwork';
  const otherMinor = centsOf(other);
  const amountMinor = amount === 'other' ? otherMinor : amount.preset;
  const declined = paymentProblem(buy.error);
  const problemAtCard =
    declined !== undefined && buy.variables?.paymentMethodId === payWith.selected ? declined : undefined;
  const typedProblem =
    amount === 'other' && other.trim() !== '' && otherMinor === undefined
      ? 'Type an amount such as 40 or 42.50'
      : undefined;

  const onBuy = async () => {
    if (!market) return;
    buy.reset();
    const paymentMethodId = await cardToPayWith(payWith);
    if (paymentMethodId === null) return;
    const trimmed = message.trim();
    buy.mutate(
      {
        // An amount that is not one is sent as such, so the API says what it must be, at the field.
        amountMinor: amountMinor ?? 0,
        recipientName: name,
        recipientEmail: email.trim(),
        ...(trimmed ? { message: trimmed } : {}),
        paymentMethodId,
        market,
        currency: CURRENCY,
      },
      {
        onSuccess: (card) => {
          setBought({ card, name: name.trim(), email: email.trim().toLowerCase() });
          setTimeout(() => document.getElementById('gift-bought-heading')?.focus(), 0);
        },
        onError: (error) => {
          if (paymentProblem(error) !== undefined) {
            focusPayWithProblem(payWith, error, paymentMethodId);
            return;
          }
          setTimeout(
            () =>
              document.querySelector<HTMLElement>('form[aria-label="Buy a gift card"] [aria-invalid="true"]')?.focus(),
            0,
          );
        },
      },
    );
  };

  if (bought) {
    return (
      <div className="narrow stack">
        <PageHeader title="Gift card" />
        <Bought
          {...bought}
          onAnother={() => {
            setBought(null);
            setName('');
            setEmail('');
            setMessage('');
            buy.reset();
          }}
        />
      </div>
    );
  }

  return (
    <div className="narrow stack">
      <PageHeader title="Buy a gift card">
        <p>
          Give someone deep tissue sessions. We e-mail them a code; its balance pays for sessions with any therapist in{' '}
          {marketName}. <Link to="/gift-cards/balance">Check a gift card’s balance</Link>
        </p>
      </PageHeader>
      {markets.isLoading && <Loading />}
      <ErrorNotice error={markets.error} />
      <form
        className="card stack"
        aria-label="Buy a gift card"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void onBuy();
        }}
      >
        <FieldSet
          legend="Amount"
          hint={`From ${money(GIFT_CARD_MIN_MINOR)} to ${money(GIFT_CARD_MAX_MINOR)}.`}
          error={amount === 'other' ? undefined : fieldError(buy.error, 'amountMinor')}
        >
          <div className="choice-row gift-amounts">
            {GIFT_CARD_PRESETS.map((preset) => (
              <label key={preset} className="choice">
                <input
                  type="radio"
                  name="gift-amount"
                  checked={amount !== 'other' && amount.preset === preset}
                  onChange={() => setAmount({ preset })}
                />
                <span>{money(preset)}</span>
              </label>
            ))}
            <label className="choice">
              <input type="radio" name="gift-amount" checked={amount === 'other'} onChange={() => setAmount('other')} />
              <span>Other amount</span>
            </label>
          </div>
        </FieldSet>
        {amount === 'other' && (
          <Field
            label={`Amount (${CURRENCY})`}
            hint={`Between ${money(GIFT_CARD_MIN_MINOR)} and ${money(GIFT_CARD_MAX_MINOR)}.`}
            error={typedProblem ?? fieldError(buy.error, 'amountMinor')}
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
        <Field label="Their name" error={fieldError(buy.error, 'recipientName')}>
          {(control) => (
            <input
              {...control}
              autoComplete="off"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Their e-mail"
          hint="The code is e-mailed to them when this address has a Knotwork account, otherwise to you to pass on."
          error={fieldError(buy.error, 'recipientEmail')}
        >
          {(control) => (
            <input
              {...control}
              type="email"
              inputMode="email"
              autoComplete="off"
              maxLength={254}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Message (optional)" hint="Up to 500 characters." error={fieldError(buy.error, 'message')}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              maxLength={500}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
        </Field>
        <PayWith state={payWith} problem={problemAtCard} />
        {buy.error !== null && declined === undefined && <ErrorNotice error={buy.error} shownFields={GIFT_FIELDS} />}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={buy.isPending || payWith.saving || !market}>
            {payWith.saving
              ? 'Saving your card…'
              : buy.isPending
                ? 'Paying…'
                : amountMinor !== undefined && amountMinor > 0
                  ? `Pay ${money(amountMinor)}`
                  : 'Pay'}
          </button>
        </div>
        <p className="muted small">Your card is charged now. The code is e-mailed at once.</p>
      </form>
    </div>
  );
}
