import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './api-client';
import type { CardToken, PaymentMethod } from './api-types';
import { parseExpiry } from './card-input';

/**
 * The client's saved cards, shared by every screen that takes a payment (a booking's checkout, the account page, and
 * later tips, packages and gift cards). A card number goes ONLY to the payment processor's own tokenisation endpoint
 * (the test processor's, as Stripe.js posts to Stripe); Knotwork's API is given the processor's token and keeps the
 * card's brand, last four digits and expiry.
 */

/** The card form as typed: the number with spaces, the expiry as MM/YY, the CVC. */
export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
}

export const EMPTY_CARD: CardInput = { number: '', expiry: '', cvc: '' };

/** The processor's tokenisation endpoint: the only place a card number is ever sent. */
const TOKENISE_URL = '/test-processor/v1/payment-methods';

const PAYMENT_METHODS = ['payment-methods'] as const;

/** The client's saved cards, newest first. */
export function usePaymentMethods(enabled = true) {
  return useQuery({
    queryKey: PAYMENT_METHODS,
    queryFn: async () => {
      const page = await api.get<{ items: PaymentMethod[] }>('/api/me/payment-methods');
      return [...page.items].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    },
    enabled,
  });
}

/** A field problem made here, in the shape the API uses, so the form shows it next to its field the same way. */
function cardProblem(field: string, message: string): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'Check the card details',
    status: 422,
    detail: message,
    code: 'validation_failed',
    errors: [{ field, in: 'body', code: 'invalid', message }],
  });
}

/**
 * Saves a card: the number to the processor for a token, then the token to Knotwork. Problems name the card form's
 * fields: `number`, `expiry` (the processor's expMonth and expYear), `cvc`.
 */
export function useAddCard() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (card: CardInput) => {
      const number = card.number.replace(/\D/g, '');
      if (!number) throw cardProblem('number', 'Enter the card number');
      const expiry = parseExpiry(card.expiry);
      if (!expiry) throw cardProblem('expiry', 'Enter the expiry date as MM/YY, for example 04/29');
      if (!card.cvc.trim()) throw cardProblem('cvc', 'Enter the security code (CVC) from the back of the card');
      let token: CardToken;
      try {
        token = await api.post<CardToken>(TOKENISE_URL, { number, ...expiry, cvc: card.cvc.trim() });
      } catch (error) {
        throw asCardFormError(error);
      }
      try {
        return await api.post<PaymentMethod>('/api/me/payment-methods', { token: token.token });
      } catch (error) {
        // The token names no field of the form: the processor's card is the number the person typed.
        if (error instanceof ApiError && error.fieldMessage('token'))
          throw cardProblem('number', error.fieldMessage('token')!);
        throw error;
      }
    },
    onSuccess: (saved) => {
      client.setQueryData<PaymentMethod[]>(PAYMENT_METHODS, (cards) => [
        saved,
        ...(cards ?? []).filter((c) => c.id !== saved.id),
      ]);
      void client.invalidateQueries({ queryKey: PAYMENT_METHODS });
    },
  });
}

/** The processor names expMonth and expYear; the form has one expiry field for both. */
function asCardFormError(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  return new ApiError({
    ...error.problem,
    errors: error.problem.errors.map((e) =>
      e.field === 'expMonth' || e.field === 'expYear' ? { ...e, field: 'expiry' } : e,
    ),
  });
}

export function useRemovePaymentMethod() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/me/payment-methods/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: PAYMENT_METHODS }),
  });
}

/** "Visa ending 4242" */
export const cardWords = (card: { brand: string | null; last4: string | null }) =>
  card.last4 ? `${brandName(card.brand ?? '')} ending ${card.last4}` : 'card';

/** The processor's brand code as printed on cards ("visa" -> "Visa", "mastercard" -> "Mastercard", "amex" -> "American Express"). */
function brandName(brand: string): string {
  const known: Record<string, string> = {
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    american_express: 'American Express',
    discover: 'Discover',
    diners: 'Diners Club',
    jcb: 'JCB',
    unionpay: 'UnionPay',
  };
  return known[brand.toLowerCase()] ?? (brand ? brand.charAt(0).toUpperCase() + brand.slice(1) : 'Card');
}

/** "expires 04/29" */
export const expiryWords = (card: { expMonth: number; expYear: number }) =>
  `expires ${String(card.expMonth).padStart(2, '0')}/${String(card.expYear % 100).padStart(2, '0')}`;
