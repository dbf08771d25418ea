import { FieldSet } from '../../../shared/components/field';
import { useState } from 'react';
import { PayWith, cardToPayWith, focusPayWithProblem, usePayWith } from '../../../shared/components/pay-with';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Membership, MembershipPlan, TherapistProfile } from '../../../shared/lib/api-types';
import { formatMoney, formatWhen } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import { cardWords, usePaymentMethods } from '../../../shared/lib/payment-methods';
import { Link } from '../../../shared/lib/router';
import {
  useCancelMembership,
  useChangeMembershipCard,
  useResumeMembership,
  useJoinMembership,
  useMembershipPlans,
  useMyMemberships,
  useTherapistProfiles,
} from '../api/prepaid';
import { discountWords } from '../lib/offer-words';
import { paymentProblem } from '../lib/payment-problem';

const day = (iso: string) => formatWhen(iso, 'date');

/** Whose sessions a plan or membership covers: one therapist's, or any of the market's. */
function whose(therapistId: string | null, profiles: Map<string, TherapistProfile>, marketName: string) {
  return therapistId
    ? `With ${profiles.get(therapistId)?.displayName ?? 'one therapist'}`
    : `With any therapist in ${marketName}`;
}

/** What just happened, said in the status line: words, or a card change (named once the new card is listed). */
type News = string | { planName: string; cardId: string };

const STATUS_WORDS: Record<Membership['status'], string> = { active: 'Active', paused: 'Paused', cancelled: 'Ended' };

/** Where the membership stands, in words: when it renews and on which card, or why it does not. */
function standing(m: Membership, card: string): string {
  if (m.status === 'paused')
    return `Paused: renewing it on your ${card} failed ${m.failedAttempts} times, so it no longer renews and gives no new credits. Resume it with a card that works, or cancel it.`;
  if (m.status === 'cancelled') return `Ended on ${day(m.currentPeriodEnd)}.`;
  if (!m.renews)
    return `Cancelled: it does not renew. This month runs until ${day(m.currentPeriodEnd)}, and its credits can be used until then.`;
  const retry = m.failedAttempts > 0 ? ' The last renewal was refused; it is tried again soon.' : '';
  return `Renews on ${day(m.currentPeriodEnd)} for ${formatMoney(m.priceMinor, m.currency)}, charged to your ${card}.${retry}`;
}

/**
 * Moving a membership's renewals to another card (or a new one), or, when it is paused, resuming it on one: a month
 * charged now. The problem is said at the card.
 */
function ChangeCard({ membership, onDone }: { membership: Membership; onDone: (news: News) => void }) {
  const payWith = usePayWith();
  const resuming = membership.status === 'paused';
  const changeCard = useChangeMembershipCard();
  const resume = useResumeMembership();
  const change = resuming ? resume : changeCard;
  const problem = fieldError(change.error, 'paymentMethodId');
  const onSave = async () => {
    change.reset();
    const paymentMethodId = await cardToPayWith(payWith);
    if (paymentMethodId === null) return;
    change.mutate(
      { id: membership.id, paymentMethodId },
      {
        onSuccess: () =>
          onDone(
            resuming
              ? `${membership.planName} is active again: ${formatMoney(membership.priceMinor, membership.currency)} was charged and this month’s credits are yours.`
              : { planName: membership.planName, cardId: paymentMethodId },
          ),
        onError: (error) => focusPayWithProblem(payWith, error, paymentMethodId),
      },
    );
  };
  return (
    <form
      className="subform stack"
      aria-label={`${resuming ? 'Resume' : 'Change the card for'} ${membership.planName}`}
      onSubmit={(event) => {
        event.preventDefault();
        void onSave();
      }}
    >
      <PayWith state={payWith} legend={resuming ? 'Pay with' : 'Renew with'} problem={problem} />
      {change.error !== null && !problem && <ErrorNotice error={change.error} shownFields={['paymentMethodId']} />}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={change.isPending || payWith.saving}>
          {resuming ? `Resume and pay ${formatMoney(membership.priceMinor, membership.currency)}` : 'Use this card'}
        </button>
        <button type="button" className="btn" onClick={() => onDone('')}>
          {resuming ? 'Not now' : 'Keep the current card'}
        </button>
      </div>
      <p className="muted small">
        {resuming
          ? 'A month is charged now and starts today, with its credits; it then renews monthly on this card.'
          : 'Nothing is charged now; the next renewal is charged to this card.'}
      </p>
    </form>
  );
}

function MembershipCard({
  membership: m,
  card,
  who,
  onNews,
}: {
  membership: Membership;
  card: string;
  who: string;
  onNews: (news: News) => void;
}) {
  const cancel = useCancelMembership();
  const [asking, setAsking] = useState(false);
  const [changing, setChanging] = useState(false);
  const headingId = `membership-${m.id}`;
  const live = m.status !== 'cancelled';
  return (
    <li className="card stack">
      <div className="row-between">
        <h3 id={headingId}>{m.planName}</h3>
        <span className={`badge badge-membership-${m.status === 'active' && !m.renews ? 'ends' : m.status}`}>
          {m.status === 'active' && !m.renews ? 'Ends' : STATUS_WORDS[m.status]}
        </span>
      </div>
      <p>
        {formatMoney(m.priceMinor, m.currency)} a month · {m.creditsPerMonth}{' '}
        {m.creditsPerMonth === 1 ? 'credit' : 'credits'} a month
        {m.memberDiscountBp > 0 ? ` · ${discountWords(m.memberDiscountBp)} other sessions` : ''} · {who}
      </p>
      <p>{standing(m, card)}</p>
      <ErrorNotice error={cancel.error} />
      {changing && (
        <ChangeCard
          membership={m}
          onDone={(news) => {
            setChanging(false);
            if (news) onNews(news);
          }}
        />
      )}
      {asking && (
        <div className="notice notice-warning stack" role="group" aria-label={`Cancel ${m.planName}?`}>
          <p>
            {m.status === 'paused'
              ? 'It ends now.'
              : `It will not renew. This month runs until ${day(m.currentPeriodEnd)}, and its credits can be used until then.`}
          </p>
          <div className="actions">
            <button
              type="button"
              className="btn btn-danger-outline"
              disabled={cancel.isPending}
              onClick={() =>
                cancel.mutate(m.id, {
                  onSuccess: () => {
                    setAsking(false);
                    onNews(`${m.planName} is cancelled.`);
                  },
                })
              }
            >
              Cancel membership
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {live && (m.renews || m.status === 'paused') && !asking && !changing && (
        <div className="actions">
          {m.renews && (
            <button type="button" className="btn" onClick={() => setChanging(true)}>
              Change card<span className="visually-hidden"> for {m.planName}</span>
            </button>
          )}
          {m.status === 'paused' && (
            <button type="button" className="btn btn-primary" onClick={() => setChanging(true)}>
              Resume<span className="visually-hidden"> {m.planName}</span>
            </button>
          )}
          {(m.renews || m.status === 'paused') && (
            <button type="button" className="btn btn-danger-outline" onClick={() => setAsking(true)}>
              Cancel<span className="visually-hidden"> {m.planName}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function PlanChoice({
  plan,
  who,
  member,
  checked,
  onChoose,
}: {
  plan: MembershipPlan;
  who: string;
  member: boolean;
  checked: boolean;
  onChoose: () => void;
}) {
  return (
    <label className="choice">
      <input type="radio" name="plan" checked={checked} onChange={onChoose} disabled={member} />
      <span>
        <strong>{plan.name}</strong>
        <span>
          <strong>{formatMoney(plan.priceMinor, plan.currency)} a month</strong>
        </span>
        <span>
          {plan.creditsPerMonth === 0
            ? 'No monthly credits'
            : `${plan.creditsPerMonth} × ${plan.durationMin}-minute ${plan.creditsPerMonth === 1 ? 'session' : 'sessions'} each month`}
          {plan.memberDiscountBp > 0 ? `, and ${discountWords(plan.memberDiscountBp)} other sessions` : ''}
        </span>
        <small>
          {who}
          {member ? ' · You are a member' : ''}
        </small>
      </span>
    </label>
  );
}

/**
 * Monthly memberships: the client's own (when each renews and on which card, paused or cancelled; cancel, change the
 * card) and the plans to join (a therapist's with the market's, or all of the market's), paid for with a card.
 */
export function MembershipsPage({ therapistId }: { therapistId?: string | undefined }) {
  const markets = useMarkets();
  const context = useTherapistProfiles(therapistId ? [therapistId] : []).get(therapistId ?? '');
  const market = therapistId ? context?.market : markets.data?.[0]?.id;
  const marketName = markets.data?.find((m) => m.id === market)?.name ?? 'the market';
  const mine = useMyMemberships();
  const plans = useMembershipPlans({ therapistId, market });
  const cards = usePaymentMethods();
  const memberships = mine.data?.items ?? [];
  const planItems = plans.data?.items ?? [];
  const profiles = useTherapistProfiles(
    [...memberships, ...planItems].flatMap((x) => (x.therapistId ? [x.therapistId] : [])),
  );
  const memberOf = new Set(memberships.filter((m) => m.status !== 'cancelled').map((m) => m.planId));
  const joinable = planItems.filter((p) => !memberOf.has(p.id));
  const [chosen, setChosen] = useState<string | null>(null);
  const plan = joinable.find((p) => p.id === chosen) ?? joinable[0];
  const payWith = usePayWith();
  const join = useJoinMembership();
  const [news, setNews] = useState<News>('');
  const declined = paymentProblem(join.error);
  const problemAtCard =
    declined !== undefined && join.variables?.paymentMethodId === payWith.selected ? declined : undefined;
  const cardOf = (id: string) => {
    const card = cards.data?.find((c) => c.id === id);
    return card ? cardWords(card) : 'card';
  };

  const onJoin = async () => {
    if (!plan) return;
    join.reset();
    setNews('');
    const paymentMethodId = await cardToPayWith(payWith);
    if (paymentMethodId === null) return;
    join.mutate(
      { planId: plan.id, paymentMethodId },
      {
        onSuccess: (m) => setNews(`You are a member of ${m.planName}. It renews on ${day(m.currentPeriodEnd)}.`),
        onError: (error) => {
          if (paymentProblem(error) !== undefined) focusPayWithProblem(payWith, error, paymentMethodId);
        },
      },
    );
  };

  return (
    <div className="narrow stack">
      <PageHeader title="Memberships">
        <p>
          A membership gives you sessions every month at a member price. Its monthly credits pay for sessions of their
          length until the month ends; it renews on your card each month until you cancel.
        </p>
      </PageHeader>
      <p role="status" className="notice-slot">
        {news && (
          <span className="notice notice-success prepaid-news">
            {typeof news === 'string' ? news : `${news.planName} now renews on your ${cardOf(news.cardId)}.`}
          </span>
        )}
      </p>
      <section className="stack" aria-labelledby="my-memberships-heading">
        <h2 id="my-memberships-heading">My memberships</h2>
        {mine.isLoading && <Loading label="Loading your memberships…" />}
        <ErrorNotice error={mine.error} />
        {mine.data && memberships.length === 0 && <p className="muted">You are not a member of any plan yet.</p>}
        {memberships.length > 0 && (
          <ul className="stack" role="list">
            {memberships.map((m) => (
              <MembershipCard
                key={m.id}
                membership={m}
                card={cardOf(m.paymentMethodId)}
                who={whose(m.therapistId, profiles, marketName)}
                onNews={setNews}
              />
            ))}
          </ul>
        )}
      </section>
      <section className="stack" aria-labelledby="join-heading">
        <h2 id="join-heading">Join a plan</h2>
        {therapistId && context && (
          <p>
            Plans with {context.displayName}, and those any therapist in {marketName} honours.{' '}
            <Link to="/memberships">All plans</Link>
          </p>
        )}
        {(plans.isLoading || markets.isLoading) && <Loading label="Loading plans…" />}
        <ErrorNotice error={plans.error ?? markets.error} />
        {plans.data && planItems.length === 0 && <EmptyState title="No membership plans here yet." />}
        {plans.data && planItems.length > 0 && (
          <form
            className="card stack"
            aria-label="Join a plan"
            onSubmit={(event) => {
              event.preventDefault();
              void onJoin();
            }}
          >
            <FieldSet legend="Choose a plan" error={fieldError(join.error, 'planId')}>
              <div className="pay-choices">
                {planItems.map((p) => (
                  <PlanChoice
                    key={p.id}
                    plan={p}
                    who={whose(p.therapistId, profiles, marketName)}
                    member={memberOf.has(p.id)}
                    checked={p.id === plan?.id}
                    onChoose={() => setChosen(p.id)}
                  />
                ))}
              </div>
            </FieldSet>
            {plan && (
              <>
                <PayWith state={payWith} problem={problemAtCard} />
                {join.error !== null && declined === undefined && (
                  <ErrorNotice error={join.error} shownFields={['planId', 'paymentMethodId']} />
                )}
                <div className="actions">
                  <button type="submit" className="btn btn-primary" disabled={join.isPending || payWith.saving}>
                    {payWith.saving
                      ? 'Saving your card…'
                      : join.isPending
                        ? 'Joining…'
                        : `Join for ${formatMoney(plan.priceMinor, plan.currency)} a month`}
                  </button>
                </div>
                <p className="muted small">
                  Your card is charged {formatMoney(plan.priceMinor, plan.currency)} now and on the same day each month
                  until you cancel. Cancel any time: the month you paid for runs to its end.
                </p>
              </>
            )}
          </form>
        )}
      </section>
    </div>
  );
}
