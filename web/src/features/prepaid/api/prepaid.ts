import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, newIdempotencyKey } from '../../../shared/lib/api-client';
import type {
  GiftCardBalance,
  GiftCardBought,
  GiftCardInput,
  Membership,
  MembershipPlan,
  PackageCredits,
  PackageOffer,
  TherapistProfile,
} from '../../../shared/lib/api-types';

const MY_PACKAGES = ['packages', 'mine'] as const;
const MY_MEMBERSHIPS = ['memberships', 'mine'] as const;

export function useMyPackages() {
  return useQuery({
    queryKey: MY_PACKAGES,
    queryFn: () => api.get<{ items: PackageCredits[] }>('/api/me/packages'),
  });
}

/** A balance check is asked for, not kept fresh: each check counts against the per-address limit. */
export function useGiftCardBalance() {
  return useMutation({
    mutationFn: (code: string) =>
      api.get<GiftCardBalance>(`/api/gift-cards/${encodeURIComponent(code.trim())}/balance`),
  });
}

/** Whose offers to list: one therapist's with their market's (`therapistId` and `market`), or all of a market. */
export interface OfferFilter {
  therapistId?: string | undefined;
  market?: string | undefined;
}

export function usePackageOffers(filter: OfferFilter, enabled = true) {
  return useQuery({
    queryKey: ['package-offers', filter.therapistId ?? null, filter.market ?? null],
    queryFn: () =>
      api.get<{ items: PackageOffer[] }>('/api/package-offers', {
        therapistId: filter.therapistId,
        market: filter.market,
      }),
    enabled: enabled && Boolean(filter.therapistId || filter.market),
    staleTime: 60_000,
  });
}

export function useMembershipPlans(filter: OfferFilter, enabled = true) {
  return useQuery({
    queryKey: ['membership-plans', filter.therapistId ?? null, filter.market ?? null],
    queryFn: () =>
      api.get<{ items: MembershipPlan[] }>('/api/membership-plans', {
        therapistId: filter.therapistId,
        market: filter.market,
      }),
    enabled: enabled && Boolean(filter.therapistId || filter.market),
    staleTime: 60_000,
  });
}

/** The public profiles of the therapists whose offers are listed (their names and single-session prices). */
export function useTherapistProfiles(ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['therapist', id],
      queryFn: () => api.get<TherapistProfile>(`/api/therapists/${encodeURIComponent(id)}`),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const byId = new Map<string, TherapistProfile>();
  for (const r of results) if (r.data) byId.set(r.data.id, r.data);
  return byId;
}

/**
 * One Idempotency-Key per intent: kept across retries of the same purchase (a timeout, a second tap), renewed once
 * it succeeded, so a retry never charges twice and the next purchase is a new one.
 */
function useIntentKey() {
  const [key, setKey] = useState(newIdempotencyKey);
  const renew = () => setKey(newIdempotencyKey());
  // A refused card is a final answer (nothing was charged): trying again is a new attempt, not a replay of the refusal.
  const afterError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 402) renew();
  };
  return { key, renew, afterError };
}

export function useBuyPackage() {
  const client = useQueryClient();
  const intent = useIntentKey();
  return useMutation({
    mutationFn: (input: { offerId: string; paymentMethodId: string }) =>
      api.post<PackageCredits>('/api/packages', input, { 'idempotency-key': `${intent.key}:${input.paymentMethodId}` }),
    onSuccess: () => {
      intent.renew();
      void client.invalidateQueries({ queryKey: MY_PACKAGES });
    },
    onError: intent.afterError,
  });
}

export function useMyMemberships() {
  return useQuery({
    queryKey: MY_MEMBERSHIPS,
    queryFn: () => api.get<{ items: Membership[] }>('/api/me/memberships'),
  });
}

function useMembershipChanged() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: MY_MEMBERSHIPS });
    void client.invalidateQueries({ queryKey: MY_PACKAGES });
  };
}

export function useJoinMembership() {
  const changed = useMembershipChanged();
  const intent = useIntentKey();
  return useMutation({
    mutationFn: (input: { planId: string; paymentMethodId: string }) =>
      api.post<Membership>('/api/memberships', input, { 'idempotency-key': `${intent.key}:${input.paymentMethodId}` }),
    onSuccess: () => {
      intent.renew();
      changed();
    },
    onError: intent.afterError,
  });
}

export function useCancelMembership() {
  const changed = useMembershipChanged();
  return useMutation({
    mutationFn: (id: string) => api.post<Membership>(`/api/memberships/${id}/cancel`),
    onSuccess: changed,
  });
}

export function useChangeMembershipCard() {
  const changed = useMembershipChanged();
  return useMutation({
    mutationFn: (input: { id: string; paymentMethodId: string }) =>
      api.put<Membership>(`/api/memberships/${input.id}/payment-method`, { paymentMethodId: input.paymentMethodId }),
    onSuccess: changed,
  });
}

/** Resumes a paused membership: a month charged now (once, however often it is asked) to the card given. */
export function useResumeMembership() {
  const changed = useMembershipChanged();
  return useMutation({
    mutationFn: (input: { id: string; paymentMethodId: string }) =>
      api.post<Membership>(`/api/memberships/${input.id}/resume`, { paymentMethodId: input.paymentMethodId }),
    onSuccess: changed,
  });
}

export function useBuyGiftCard() {
  const intent = useIntentKey();
  return useMutation({
    mutationFn: (input: GiftCardInput) =>
      api.post<GiftCardBought>('/api/gift-cards', input, {
        'idempotency-key': `${intent.key}:${input.paymentMethodId}`,
      }),
    onSuccess: intent.renew,
    onError: intent.afterError,
  });
}
