import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { LicenceRow } from '../../../shared/lib/api-types';
import { formatIsoDate, isoDateIn } from '../../../shared/lib/format';
import { type LicenceStatus, useLicences, useReviewLicence } from '../api/licences';

const FILTERS: { value: LicenceStatus | ''; label: string }[] = [
  { value: 'pending', label: 'Waiting' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: '', label: 'All' },
];

function LicenceCard({ row }: { row: LicenceRow }) {
  const review = useReviewLicence();
  const [note, setNote] = useState('');
  const expired = row.licenceExpiresOn !== null && row.licenceExpiresOn < isoDateIn(new Date(), 'UTC');
  return (
    <article className="card licence" aria-labelledby={`licence-${row.therapistId}`}>
      <div className="row-between">
        <h2 id={`licence-${row.therapistId}`} className="h3">
          {row.displayName}
        </h2>
        <span className={`badge badge-licence-${row.licenceStatus}`}>
          {row.licenceStatus === 'pending' ? 'Waiting' : row.licenceStatus === 'approved' ? 'Approved' : 'Rejected'}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Licence</dt>
          <dd>{row.licenceNumber ?? '—'}</dd>
        </div>
        <div>
          <dt>Issued by</dt>
          <dd>{row.licenceRegion ?? '—'}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd className={expired ? 'text-danger' : undefined}>
            {row.licenceExpiresOn
              ? formatIsoDate(row.licenceExpiresOn, { year: 'numeric', month: 'short', day: 'numeric' })
              : '—'}
            {expired ? ' (expired)' : ''}
          </dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>{row.email}</dd>
        </div>
      </dl>
      {row.reviewNote && <p className="muted">Note: {row.reviewNote}</p>}
      {row.licenceStatus !== 'approved' ? (
        <div className="stack">
          <Field label="Note to the therapist" hint="Required to reject." error={fieldError(review.error, 'note')}>
            {(p) => <input {...p} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <ErrorNotice error={review.error} shownFields={['note']} />
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={review.isPending}
              onClick={() => review.mutate({ therapistId: row.therapistId, decision: 'approve', note })}
            >
              Approve {row.displayName}
            </button>
            {row.licenceStatus !== 'rejected' && (
              <button
                type="button"
                className="btn btn-danger-outline"
                disabled={review.isPending}
                onClick={() => review.mutate({ therapistId: row.therapistId, decision: 'reject', note })}
              >
                Reject
              </button>
            )}
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            review.mutate({
              therapistId: row.therapistId,
              decision: 'reject',
              note: 'Approval withdrawn by an operator',
            })
          }
        >
          Withdraw approval
        </button>
      )}
    </article>
  );
}

export function LicencesPage() {
  const [status, setStatus] = useState<LicenceStatus | ''>('pending');
  const licences = useLicences(status);
  return (
    <div className="stack">
      <PageHeader title="Licence approvals">
        <p>Therapists appear in search only once their licence is approved and in date.</p>
      </PageHeader>
      <div className="segmented" role="group" aria-label="Show licences">
        {FILTERS.map((f) => (
          <button key={f.label} type="button" aria-pressed={status === f.value} onClick={() => setStatus(f.value)}>
            {f.label}
          </button>
        ))}
      </div>
      {licences.isLoading && <Loading />}
      <ErrorNotice error={licences.error} />
      {licences.data && licences.data.length === 0 && (
        <EmptyState title={status === 'pending' ? 'No licences are waiting for review.' : 'No licences here.'} />
      )}
      <div className="card-grid">
        {licences.data?.map((row) => (
          <LicenceCard key={row.therapistId} row={row} />
        ))}
      </div>
    </div>
  );
}
