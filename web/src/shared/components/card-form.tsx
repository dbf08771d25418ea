import { fieldError } from '../lib/api-client';
import { spacedCardNumber, typedExpiry } from '../lib/card-input';
import type { CardInput } from '../lib/payment-methods';
import { Field } from './field';

/** The test processor's cards (docs/PAYMENTS.md): what each does when it pays. */
const TEST_CARDS: { number: string; does: string }[] = [
  { number: '4242 4242 4242 4242', does: 'pays (Visa)' },
  { number: '5555 5555 5555 4444', does: 'pays (Mastercard)' },
  { number: '4000 0000 0000 0002', does: 'is declined' },
  { number: '4000 0000 0000 9995', does: 'is declined for insufficient funds' },
  { number: '4000 0000 0000 0069', does: 'is declined as expired' },
  { number: '4000 0000 0000 0077', does: 'is authorised, but the authorisation runs out before the session ends' },
  { number: '4000 0000 0000 0259', does: 'pays, then the payment is disputed' },
  { number: '4000 0000 0000 5126', does: 'pays, but a refund to it fails' },
];

/** Which of the card's fields is the first with a problem, for moving focus there. */
export const CARD_FIELDS = ['number', 'expiry', 'cvc'] as const;

/**
 * The test processor's card form: the number with spaces, the expiry as MM/YY and the CVC, each labelled, with the
 * phone's number pad and the browser's card autofill. `error` is the failed save, whose problems name these fields.
 * The number never reaches Knotwork's API: shared/lib/payment-methods.ts sends it to the processor for a token.
 */
export function CardFields({
  card,
  onChange,
  error,
  idPrefix,
}: {
  card: CardInput;
  onChange: (card: CardInput) => void;
  error: unknown;
  /** Names this form's inputs (`data-card-field`), so a page can move focus to a field with a problem. */
  idPrefix: string;
}) {
  return (
    <div className="card-fields stack">
      <Field label="Card number" error={fieldError(error, 'number')}>
        {(p) => (
          <input
            {...p}
            data-card-field={`${idPrefix}-number`}
            name="cc-number"
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder="1234 1234 1234 1234"
            value={card.number}
            onChange={(e) => onChange({ ...card, number: spacedCardNumber(e.target.value) })}
          />
        )}
      </Field>
      <div className="field-row">
        <Field label="Expiry (MM/YY)" error={fieldError(error, 'expiry')}>
          {(p) => (
            <input
              {...p}
              data-card-field={`${idPrefix}-expiry`}
              name="cc-exp"
              inputMode="numeric"
              autoComplete="cc-exp"
              placeholder="MM/YY"
              value={card.expiry}
              onChange={(e) => onChange({ ...card, expiry: typedExpiry(e.target.value, card.expiry) })}
            />
          )}
        </Field>
        <Field label="Security code (CVC)" error={fieldError(error, 'cvc')}>
          {(p) => (
            <input
              {...p}
              data-card-field={`${idPrefix}-cvc`}
              name="cc-csc"
              inputMode="numeric"
              autoComplete="cc-csc"
              maxLength={4}
              value={card.cvc}
              onChange={(e) => onChange({ ...card, cvc: e.target.value.replace(/\D/g, '').slice(0, 4) })}
            />
          )}
        </Field>
      </div>
      <TestCardsNote />
    </div>
  );
}

function TestCardsNote() {
  return (
    <div className="test-cards small">
      <p>
        <strong>Test mode:</strong> use 4242 4242 4242 4242, any future date, any CVC. No real money moves.
      </p>
      <details>
        <summary>Other test cards, including ones that are declined</summary>
        <ul>
          {TEST_CARDS.map((c) => (
            <li key={c.number}>
              <span className="card-number">{c.number}</span> {c.does}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** Moves focus to the first card field with a problem; true when there was one. */
export function focusFirstCardProblem(error: unknown, idPrefix: string): boolean {
  const field = CARD_FIELDS.find((f) => fieldError(error, f));
  if (!field) return false;
  document.querySelector<HTMLElement>(`[data-card-field="${idPrefix}-${field}"]`)?.focus();
  return true;
}
