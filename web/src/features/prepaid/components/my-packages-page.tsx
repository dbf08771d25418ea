import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { formatMoney, formatWhen } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useMyPackages } from '../api/prepaid';

/**
 * The client's packages and membership months: credits left, and until when they can be used; `bought` names the
 * package just bought, said first. The ways to pay ahead start here: packages, memberships, gift cards.
 */
export function MyPackagesPage({ bought }: { bought?: string | undefined }) {
  const packages = useMyPackages();
  const fresh = bought ? packages.data?.items.find((p) => p.id === bought) : undefined;
  return (
    <div className="narrow stack">
      <PageHeader title="My packages">
        <p>
          Sessions you have paid for ahead. A credit pays the session price when you book a session it covers; the
          booking fee and any tax are paid by card. Cancel in time and the credit comes back.
        </p>
      </PageHeader>
      <p role="status">
        {fresh && (
          <span className="notice notice-success prepaid-news">
            {fresh.label} is yours: {fresh.creditsLeft} {fresh.creditsLeft === 1 ? 'credit' : 'credits'} to use by{' '}
            {formatWhen(fresh.expiresAt, 'date')}. Book a {fresh.durationMin}-minute session and a credit pays for it.
          </span>
        )}
      </p>
      <nav className="actions" aria-label="Pay ahead">
        <Link className="btn btn-primary" to="/packages/buy">
          Buy a package
        </Link>
        <Link className="btn" to="/memberships">
          Memberships
        </Link>
        <Link className="btn" to="/gift-cards/buy">
          Give a gift card
        </Link>
      </nav>
      {packages.isLoading && <Loading />}
      <ErrorNotice error={packages.error} />
      {packages.data && packages.data.items.length === 0 && (
        <EmptyState title="No packages yet.">
          <p>
            <Link to="/search">Find a therapist</Link>, or buy a package above.
          </p>
        </EmptyState>
      )}
      <ul className="stack" role="list" aria-label="My packages and membership months">
        {packages.data?.items.map((p) => (
          <li key={p.id} className="card stack">
            <h2>{p.label}</h2>
            <p>
              {p.creditsLeft} of {p.creditsTotal} {p.creditsTotal === 1 ? 'credit' : 'credits'} left · {p.durationMin}
              -minute sessions · {formatMoney(p.priceMinor, p.currency)}
              {p.kind === 'membership' ? ' this month' : ''}
            </p>
            <p className={p.expired ? 'muted' : undefined}>
              {p.expired ? 'Expired ' : 'Use by '}
              {formatWhen(p.expiresAt, 'date')}
            </p>
          </li>
        ))}
      </ul>
      <p className="muted small">
        Have a gift card? <Link to="/gift-cards/balance">Check its balance</Link>, and enter its code when you book.
      </p>
    </div>
  );
}
