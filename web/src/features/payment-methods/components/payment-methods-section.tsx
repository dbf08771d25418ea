import { useState } from 'react';
import { CARD_FIELDS, CardFields, focusFirstCardProblem } from '../../../shared/components/card-form';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import {
  type CardInput,
  EMPTY_CARD,
  cardWords,
  expiryWords,
  useAddCard,
  usePaymentMethods,
  useRemovePaymentMethod,
} from '../../../shared/lib/payment-methods';
import { formatWhen } from '../../../shared/lib/format';

const FORM_ID = 'account-card';

/** The account page's "Payment methods": the saved cards, newest first, each removable, and a form to add one. */
export function PaymentMethodsSection() {
  const cards = usePaymentMethods();
  const addCard = useAddCard();
  const remove = useRemovePaymentMethod();
  const [adding, setAdding] = useState(false);
  const [card, setCard] = useState<CardInput>(EMPTY_CARD);
  const [news, setNews] = useState('');

  const save = async () => {
    setNews('');
    try {
      const saved = await addCard.mutateAsync(card);
      setCard(EMPTY_CARD);
      setAdding(false);
      setNews(`${cardWords(saved)} is saved.`);
    } catch (error) {
      setTimeout(() => focusFirstCardProblem(error, FORM_ID), 0);
    }
  };
  const unsavedError = addCard.error && !CARD_FIELDS.some((f) => fieldError(addCard.error, f)) ? addCard.error : null;

  return (
    <section className="card stack" aria-labelledby="payment-methods-heading">
      <h2 id="payment-methods-heading">Payment methods</h2>
      <p className="muted small">
        Cards you pay with for sessions. Knotwork keeps only the card’s brand, last four digits and expiry; the number
        stays with the payment processor.
      </p>
      {cards.isLoading && <Loading label="Loading your cards…" />}
      {cards.error !== null && <ErrorNotice error={cards.error} />}
      {cards.data && cards.data.length === 0 && <p>No cards saved yet.</p>}
      {cards.data && cards.data.length > 0 && (
        <ul className="plain-list saved-cards">
          {cards.data.map((saved) => (
            <li key={saved.id} className="row-between saved-card">
              <div>
                <strong>{cardWords(saved)}</strong>
                <p className="muted small">
                  {expiryWords(saved)} · added {formatWhen(saved.createdAt)}
                </p>
              </div>
              <button
                type="button"
                className="btn btn-small btn-danger-outline"
                disabled={remove.isPending}
                onClick={() => remove.mutate(saved.id, { onSuccess: () => setNews(`${cardWords(saved)} is removed.`) })}
              >
                Remove<span className="visually-hidden"> {cardWords(saved)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.error !== null && <ErrorNotice error={remove.error} />}
      <p role="status" className="small">
        {news}
      </p>
      {adding ? (
        <form
          className="form subform"
          aria-label="Add a card"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <CardFields card={card} onChange={setCard} error={addCard.error} idPrefix={FORM_ID} />
          {unsavedError && <ErrorNotice error={unsavedError} shownFields={[...CARD_FIELDS]} />}
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={addCard.isPending}>
              {addCard.isPending ? 'Saving…' : 'Save card'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setAdding(false);
                setCard(EMPTY_CARD);
                addCard.reset();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            Add a card
          </button>
        </div>
      )}
    </section>
  );
}
