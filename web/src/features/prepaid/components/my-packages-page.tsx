import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { formatMoney, formatWhen } from '../../../shared/lib/format';
import { useMyPackages } from '../api/prepaid';

/** The client's packages and membership months: credits left, and until when they can be used. */
export function MyPackagesPage() {
  const packages = useMyPackages();
  return (
    <div className="narrow stack">
      <PageHeader title="My packages">
        <p>
          Sessions you have paid for ahead. A credit pays the session price when you book a session it covers; the
          booking fee and any tax are paid by card. Cancel in time and the credit comes back.
        </p>
      </PageHeader>
      {packages.isLoading && <Loading />}
      <ErrorNotice error={packages.error} />
      {packages.data && packages.data.items.length === 0 && <EmptyState title="No packages yet." />}
      <ul className="stack" role="list">
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
              {formatWhen(p.expiresAt)}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
