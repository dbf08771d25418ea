import { FieldSet } from '../../../shared/components/field';
import { useState } from 'react';
import { PayWith, cardToPayWith, focusPayWithProblem, usePayWith } from '../../../shared/components/pay-with';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { PackageOffer, TherapistProfile } from '../../../shared/lib/api-types';
import { formatMoney, formatWhen } from '../../../shared/lib/format';
import { useMarkets } from '../../../shared/lib/markets';
import { Link, navigate, sameSitePath } from '../../../shared/lib/router';
import { useNow } from '../../../shared/lib/use-now';
import { useBuyPackage, usePackageOffers, useTherapistProfiles } from '../api/prepaid';
import { expiresAfter, perSessionMinor, savingOf, sessionsWords } from '../lib/offer-words';
import { paymentProblem } from '../lib/payment-problem';

const singlePrice = (profile: TherapistProfile | undefined, durationMin: number) =>
  profile?.services.find((s) => s.durationMin === durationMin)?.priceCents;

/** One package as a choice: what it is, whose sessions, the price, the saving against single sessions, the expiry. */
function OfferChoice({
  offer,
  profiles,
  context,
  marketName,
  checked,
  onChoose,
  now,
}: {
  offer: PackageOffer;
  profiles: Map<string, TherapistProfile>;
  /** The therapist the client came from, whose price a market-wide package is compared with. */
  context: TherapistProfile | undefined;
  marketName: string;
  checked: boolean;
  onChoose: () => void;
  /** The browser's now, from which the expiry of a package bought now is counted. */
  now: number;
}) {
  const owner = offer.therapistId ? profiles.get(offer.therapistId) : undefined;
  const compareWith = owner ?? context;
  const single = singlePrice(compareWith, offer.durationMin);
  const saving = savingOf(offer, single);
  const money = (minor: number) => formatMoney(minor, offer.currency);
  const what = sessionsWords(offer.sessions, offer.durationMin);
  return (
    <label className="choice offer-choice">
      <input type="radio" name="offer" checked={checked} onChange={onChoose} />
      <span>
        <strong>{offer.name}</strong>
        {offer.name !== what && <span>{what}</span>}
        <span>
          {offer.therapistId ? `With ${owner?.displayName ?? 'one therapist'}` : `With any therapist in ${marketName}`}
        </span>
        <span className="offer-price">
          <strong>{money(offer.priceMinor)}</strong> · {money(perSessionMinor(offer))} a session
        </span>
        {saving && compareWith && single !== undefined && (
          <span className="offer-saving">
            Save {money(saving.minor)} ({saving.percent}%) on {offer.sessions} single sessions at {money(single)}
            {owner ? '' : ` with ${compareWith.displayName}`}
          </span>
        )}
        <small>
          Use by {formatWhen(new Date(expiresAfter(now, offer.validDays)).toISOString(), 'date')} ({offer.validDays}{' '}
          days after buying)
        </small>
      </span>
    </label>
  );
}

/**
 * Buying a package of sessions: the packages of a therapist (with the market's, which any of its therapists honour),
 * or all of the market's; a saved card or a new one; then the credits in My packages, or back to `next` (a held
 * booking, which the credit then pays).
 */
export function BuyPackagePage({ therapistId, next }: { therapistId?: string | undefined; next?: string | undefined }) {
  const markets = useMarkets();
  const context = useTherapistProfiles(therapistId ? [therapistId] : []).get(therapistId ?? '');
  const market = therapistId ? context?.market : markets.data?.[0]?.id;
  const marketName = markets.data?.find((m) => m.id === market)?.name ?? 'the market';
  const offers = usePackageOffers({ therapistId, market });
  // The therapist's own packages first (the API lists by price), then the market's.
  const items = [...(offers.data?.items ?? [])].sort(
    (a, b) => Number(b.therapistId === therapistId) - Number(a.therapistId === therapistId),
  );
  const profiles = useTherapistProfiles(items.flatMap((o) => (o.therapistId ? [o.therapistId] : [])));
  const [chosen, setChosen] = useState<string | null>(null);
  const offer = items.find((o) => o.id === chosen) ?? items[0];
  const payWith = usePayWith();
  const buy = useBuyPackage();
  const now = useNow(60_000);
  const declined = paymentProblem(buy.error);
  const problemAtCard =
    declined !== undefined && buy.variables?.paymentMethodId === payWith.selected ? declined : undefined;
  const back = sameSitePath(next);

  const onBuy = async () => {
    if (!offer) return;
    buy.reset();
    const paymentMethodId = await cardToPayWith(payWith);
    if (paymentMethodId === null) return;
    buy.mutate(
      { offerId: offer.id, paymentMethodId },
      {
        onSuccess: (credits) => navigate(back ?? `/packages?bought=${encodeURIComponent(credits.id)}`),
        onError: (error) => {
          if (paymentProblem(error) !== undefined) focusPayWithProblem(payWith, error, paymentMethodId);
        },
      },
    );
  };
  const busy = buy.isPending || payWith.saving;

  return (
    <div className="narrow stack">
      <PageHeader title="Buy a package">
        <p>
          Pay ahead for several sessions and save. Each credit pays the price of one session of its length when you
          book; the booking fee and any tax are paid by card then. Cancel in time and the credit comes back.
        </p>
      </PageHeader>
      {therapistId && context && (
        <p>
          Packages with {context.displayName}, and those any therapist in {marketName} honours.{' '}
          <Link to="/packages/buy">All packages</Link>
        </p>
      )}
      {(offers.isLoading || markets.isLoading) && <Loading label="Loading packages…" />}
      <ErrorNotice error={offers.error ?? markets.error} />
      {offers.data && items.length === 0 && (
        <EmptyState title="No packages on offer here yet.">
          <p>
            <Link to="/memberships">See monthly memberships</Link>
          </p>
        </EmptyState>
      )}
      {offer && (
        <form
          className="card stack"
          aria-label="Buy a package"
          onSubmit={(event) => {
            event.preventDefault();
            void onBuy();
          }}
        >
          <FieldSet legend="Choose a package" error={fieldError(buy.error, 'offerId')}>
            <div className="pay-choices">
              {items.map((o) => (
                <OfferChoice
                  key={o.id}
                  offer={o}
                  profiles={profiles}
                  context={context}
                  marketName={marketName}
                  checked={o.id === offer.id}
                  onChoose={() => setChosen(o.id)}
                  now={now}
                />
              ))}
            </div>
          </FieldSet>
          <PayWith state={payWith} problem={problemAtCard} />
          {buy.error !== null && declined === undefined && (
            <ErrorNotice error={buy.error} shownFields={['offerId', 'paymentMethodId']} />
          )}
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {payWith.saving
                ? 'Saving your card…'
                : buy.isPending
                  ? 'Paying…'
                  : `Buy ${offer.name} for ${formatMoney(offer.priceMinor, offer.currency)}`}
            </button>
            <Link className="btn btn-link" to={back ?? '/packages'}>
              {back ? 'Back to your booking' : 'My packages'}
            </Link>
          </div>
          <p className="muted small">
            Your card is charged {formatMoney(offer.priceMinor, offer.currency)} now. Credits not used by their date
            expire.
          </p>
        </form>
      )}
    </div>
  );
}
