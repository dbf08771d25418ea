import { useId, useState } from 'react';
import {
  type CardInput,
  EMPTY_CARD,
  cardWords,
  expiryWords,
  useAddCard,
  usePaymentMethods,
} from '../lib/payment-methods';
import { fieldError } from '../lib/api-client';
import type { PaymentMethod } from '../lib/api-types';
import { CARD_FIELDS, CardFields, focusFirstCardProblem } from './card-form';
import { ErrorNotice, Loading } from './states';

const NEW_CARD = 'new';

export interface PayWithState {
  cards: PaymentMethod[];
  loading: boolean;
  loadError: unknown;
  /** The chosen saved card's id, or 'new' for the card form. */
  selected: string;
  choose: (id: string) => void;
  card: CardInput;
  setCard: (card: CardInput) => void;
  /** The last failure to save the typed card (its problems name number, expiry, cvc). */
  addError: unknown;
  saving: boolean;
  /** The chosen card's id, saving the typed card first when "Add a card" is chosen (throws its problems). */
  paymentMethodId: () => Promise<string>;
  /** The prefix of this picker's ids, for moving focus (see `focusPayWithProblem`). */
  idPrefix: string;
}

/**
 * The state of a "Pay with" choice: the client's saved cards with the newest chosen, or a new card typed into the
 * test processor's form. A screen that takes a payment (a booking's checkout; tips, packages and gift cards later)
 * keeps it and calls `paymentMethodId()` when the person pays.
 */
export function usePayWith(enabled = true): PayWithState {
  const cards = usePaymentMethods(enabled);
  const addCard = useAddCard();
  const [choice, setChoice] = useState<string | null>(null);
  const [card, setCard] = useState<CardInput>(EMPTY_CARD);
  const idPrefix = `pay-${useId().replace(/:/g, '')}`;
  const list = cards.data ?? [];
  const selected =
    choice !== null && (choice === NEW_CARD || list.some((c) => c.id === choice)) ? choice : (list[0]?.id ?? NEW_CARD);
  return {
    cards: list,
    loading: cards.isLoading,
    loadError: cards.error,
    selected,
    choose: setChoice,
    card,
    setCard,
    addError: addCard.error,
    saving: addCard.isPending,
    idPrefix,
    paymentMethodId: async () => {
      if (selected !== NEW_CARD) return selected;
      const saved = await addCard.mutateAsync(card);
      setChoice(saved.id);
      setCard(EMPTY_CARD);
      return saved.id;
    },
  };
}

/**
 * After a failed payment: focus on the card form's first field with a problem, else on the chosen card, whose
 * message (`problem` of `PayWith`) is read with it.
 */
export function focusPayWithProblem(state: PayWithState, error: unknown, cardId = state.selected) {
  // After the messages are drawn, so each is read with the field it concerns.
  setTimeout(() => {
    if (focusFirstCardProblem(error, state.idPrefix)) return;
    document.getElementById(`${state.idPrefix}-${cardId}`)?.focus();
  }, 0);
}

/**
 * The card to pay with when one is needed (a new card is saved first); `undefined` when none is needed, and `null`
 * when it could not be had: its problem is then focused at the form.
 */
export async function cardToPayWith(state: PayWithState): Promise<string | null>;
export async function cardToPayWith(state: PayWithState, needed: boolean): Promise<string | undefined | null>;
export async function cardToPayWith(state: PayWithState, needed = true): Promise<string | undefined | null> {
  if (!needed) return undefined;
  try {
    return await state.paymentMethodId();
  } catch (error) {
    focusPayWithProblem(state, error);
    return null;
  }
}

/**
 * "Pay with": the saved cards as a radio list (the newest chosen), then "Add a card" with the card form. `problem`
 * is said at the chosen card (a decline, in the processor's words), and `required` at the group (no card chosen).
 */
export function PayWith({
  state,
  problem,
  legend = 'Pay with',
}: {
  state: PayWithState;
  problem?: string | undefined;
  legend?: string;
}) {
  if (state.loading) return <Loading label="Loading your cards…" />;
  if (state.loadError) return <ErrorNotice error={state.loadError} />;
  const name = `${state.idPrefix}-choice`;
  const problemId = `${state.idPrefix}-problem`;
  const problemAt = problem ? state.selected : null;
  return (
    <fieldset className="fieldset pay-with">
      <legend>{legend}</legend>
      <div className="pay-choices">
        {state.cards.map((card) => (
          <div key={card.id}>
            <label className={`choice${problemAt === card.id ? ' choice-invalid' : ''}`}>
              <input
                type="radio"
                name={name}
                id={`${state.idPrefix}-${card.id}`}
                checked={state.selected === card.id}
                onChange={() => state.choose(card.id)}
                {...(problemAt === card.id ? { 'aria-describedby': problemId, 'aria-invalid': true } : {})}
              />
              <span>
                <strong>{cardWords(card)}</strong>
                <small>{expiryWords(card)}</small>
              </span>
            </label>
            {problemAt === card.id && (
              <p className="field-error" id={problemId}>
                {problem}
              </p>
            )}
          </div>
        ))}
        <div>
          <label className={`choice${problemAt === NEW_CARD ? ' choice-invalid' : ''}`}>
            <input
              type="radio"
              name={name}
              id={`${state.idPrefix}-${NEW_CARD}`}
              checked={state.selected === NEW_CARD}
              onChange={() => state.choose(NEW_CARD)}
              {...(problemAt === NEW_CARD ? { 'aria-describedby': problemId, 'aria-invalid': true } : {})}
            />
            <span>
              <strong>{state.cards.length > 0 ? 'Add a card' : 'A card'}</strong>
              <small>Saved to your account for next time; remove it there whenever you like.</small>
            </span>
          </label>
          {problemAt === NEW_CARD && (
            <p className="field-error" id={problemId}>
              {problem}
            </p>
          )}
        </div>
      </div>
      {state.selected === NEW_CARD && (
        <CardFields card={state.card} onChange={state.setCard} error={state.addError} idPrefix={state.idPrefix} />
      )}
      {state.addError !== null && !CARD_FIELDS.some((f) => fieldError(state.addError, f)) && (
        <ErrorNotice error={state.addError} shownFields={[...CARD_FIELDS]} />
      )}
    </fieldset>
  );
}
