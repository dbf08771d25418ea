import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Payment } from '../../../shared/lib/api-types';
import { formatMoney, formatWhen, isoDateIn } from '../../../shared/lib/format';
import { usePayments, useSuperbillDownload } from '../api/payments';
import { paymentAmount, paymentBadge, paymentStatusWords } from '../lib/payment-words';

function PaymentRow({ payment }: { payment: Payment }) {
  return (
    <li className="card stack payment">
      <div className="row-between">
        <div>
          <strong>{payment.description}</strong>
          {payment.therapistName && <span className="muted"> · {payment.therapistName}</span>}
          <p className="muted small">
            {formatWhen(payment.createdAt)}
            {payment.paymentMethod && ` · ${payment.paymentMethod}`}
          </p>
        </div>
        <div className="payment-amount">
          <strong>{paymentAmount(payment)}</strong>
          <span className={`badge badge-${paymentBadge(payment)}`}>{paymentStatusWords(payment)}</span>
        </div>
      </div>
      {payment.refunds.length > 0 && (
        <ul className="small" aria-label="Refunds">
          {payment.refunds.map((r) => (
            <li key={r.id}>
              {r.status === 'succeeded'
                ? `Refunded ${formatMoney(r.amountMinor, payment.currency)} to your card, ${formatWhen(r.createdAt)}`
                : r.status === 'pending'
                  ? `Refund of ${formatMoney(r.amountMinor, payment.currency)} on its way to your card (asked ${formatWhen(r.createdAt)})`
                  : `Refund of ${formatMoney(r.amountMinor, payment.currency)} failed: we are looking into it`}
            </li>
          ))}
        </ul>
      )}
      {payment.receipts.length > 0 && (
        <ul className="attachments" aria-label="Receipts">
          {payment.receipts.map((r) => (
            <li key={r.id}>
              <a className="btn btn-small" href={r.pdfUrl} download={`knotwork-receipt-${r.number}.pdf`}>
                {r.kind === 'refund' ? 'Refund receipt' : 'Receipt'} {r.number} (PDF)
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** From and to dates for a superbill (a year at most), downloaded as a PDF; a wrong range is said at its field. */
function SuperbillForm() {
  const today = isoDateIn(new Date());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const download = useSuperbillDownload();
  return (
    <section className="card stack" aria-labelledby="superbill-heading">
      <h2 id="superbill-heading">Superbill</h2>
      <p>
        A statement of your sessions for an HSA/FSA or your insurer: each therapist’s licence, the service code (CPT
        97124), the dates and what you paid, for up to a year of sessions. Add the diagnosis codes from your referral
        before you send it.
      </p>
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          download.mutate({ from, to });
        }}
      >
        <div className="field-row superbill-dates">
          <Field label="From" error={fieldError(download.error, 'from')}>
            {(p) => (
              <input {...p} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
            )}
          </Field>
          <Field label="To" error={fieldError(download.error, 'to')}>
            {(p) => <input {...p} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} required />}
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={download.isPending}>
            {download.isPending ? 'Preparing…' : 'Download superbill (PDF)'}
          </button>
        </div>
      </form>
      <ErrorNotice error={download.error} shownFields={['from', 'to']} />
      <p role="status" className="small">
        {download.isSuccess ? 'Your superbill is downloaded.' : ''}
      </p>
    </section>
  );
}

export function PaymentsPage() {
  const payments = usePayments();
  const items = payments.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="narrow stack">
      <PageHeader title="Payments">
        <p>
          Every payment you made, newest first, with its receipts. A session’s payment is held on your card when you
          book and taken after the session.
        </p>
      </PageHeader>
      {payments.isLoading && <Loading />}
      <ErrorNotice error={payments.error} />
      {payments.data && items.length === 0 && <EmptyState title="No payments yet." />}
      <ul className="stack" role="list" aria-label="Payments">
        {items.map((p) => (
          <PaymentRow key={p.id} payment={p} />
        ))}
      </ul>
      {payments.hasNextPage && (
        <button
          type="button"
          className="btn"
          disabled={payments.isFetchingNextPage}
          onClick={() => void payments.fetchNextPage()}
        >
          {payments.isFetchingNextPage ? 'Loading…' : 'Show older payments'}
        </button>
      )}
      <SuperbillForm />
    </div>
  );
}
