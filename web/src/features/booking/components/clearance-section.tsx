import { clearanceGiverForStaff } from '../../../../../src/domain/screening-vocabulary';
import { useRef, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Booking, ClearanceDocument } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { useBookingScreening, useClearanceDocuments, useReviewClearance, useUploadClearance } from '../api/screening';

const MAX_BYTES = 5 * 1024 * 1024;
const DOCUMENT_STATUS: Record<ClearanceDocument['status'], string> = {
  submitted: 'Waiting for review',
  verified: 'Accepted',
  rejected: 'Not accepted',
};

function Upload({ booking }: { booking: Booking }) {
  const upload = useUploadClearance(booking.id);
  const input = useRef<HTMLInputElement>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const send = () => {
    const file = input.current?.files?.[0];
    if (!file) return;
    // The server refuses it too (413); saying so before sending spares a phone a 5 MB upload.
    setTooLarge(file.size > MAX_BYTES);
    if (file.size > MAX_BYTES) return;
    upload.mutate(file, {
      onSuccess: () => {
        if (input.current) input.current.value = '';
      },
    });
  };
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <Field
        label="Upload the note"
        hint="A PDF, PNG or JPEG photo or scan, up to 5 MB."
        error={tooLarge ? 'This file is larger than 5 MB' : fieldError(upload.error, 'contentBase64')}
      >
        {(p) => (
          <input
            {...p}
            ref={input}
            type="file"
            accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
            onChange={() => setTooLarge(false)}
          />
        )}
      </Field>
      <ErrorNotice error={upload.error} shownFields={['contentBase64']} />
      {upload.isSuccess && (
        <p className="notice notice-success" role="status">
          Uploaded. It will be checked before your session.
        </p>
      )}
      <div>
        <button type="submit" className="btn" disabled={upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload document'}
        </button>
      </div>
    </form>
  );
}

function Review({ booking, document }: { booking: Booking; document: ClearanceDocument }) {
  const review = useReviewClearance(booking.id);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  return (
    <div className="stack">
      <ErrorNotice error={review.error} shownFields={['note']} />
      {rejecting ? (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            review.mutate({ documentId: document.id, decision: 'reject', note });
          }}
        >
          <Field label="Why is it not accepted?" hint="The client reads this." error={fieldError(review.error, 'note')}>
            {(p) => <textarea {...p} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" className="btn btn-danger" disabled={review.isPending}>
              Reject document
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)}>
              Back
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={review.isPending}
            onClick={() => review.mutate({ documentId: document.id, decision: 'verify' })}
          >
            Verify {document.filename}
          </button>
          <button type="button" className="btn btn-danger-outline" onClick={() => setRejecting(true)}>
            Reject
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Medical clearance on a booking: who must give it, the documents sent (each downloadable), uploading one, and,
 * for the booked therapist or an operator, verifying or rejecting it. Check-in waits until it is verified.
 */
export function ClearanceSection({ booking, viewer }: { booking: Booking; viewer: 'client' | 'staff' }) {
  const status = booking.screening?.clearance ?? 'not_required';
  const screening = useBookingScreening(booking.id, status !== 'not_required');
  const documents = useClearanceDocuments(booking.id, status !== 'not_required');
  if (status === 'not_required') return null;
  const upcoming =
    booking.status === 'held' || booking.status === 'awaiting_clearance' || booking.status === 'confirmed';
  const givers = screening.data?.forClient.clearance
    .filter((c) => c.level === 'required')
    .map((c) => (viewer === 'client' ? c.from : clearanceGiverForStaff(c.from)));
  const from = [...new Set(givers ?? [])];
  return (
    <section className="clearance stack" aria-labelledby={`clearance-${booking.id}`}>
      <div className="row-between">
        <h3 id={`clearance-${booking.id}`}>Medical clearance</h3>
        <span className={`badge ${status === 'verified' ? 'badge-confirmed' : 'badge-held'}`}>
          {status === 'verified' ? 'Verified' : 'Needed'}
        </span>
      </div>
      {status === 'pending' && (
        <p>
          {viewer === 'client'
            ? booking.status === 'awaiting_clearance'
              ? 'Before this session can be confirmed, we need a note from '
              : 'Before this session can start, we need a note from '
            : booking.status === 'awaiting_clearance'
              ? 'The session is confirmed only once a note is verified from '
              : 'The session can start only once a note is verified from '}
          {from.length > 0 ? from.join(' and ') : 'a doctor'}
          {viewer === 'client' ? ' saying deep tissue massage is safe for you.' : '.'}
        </p>
      )}
      {status === 'verified' && <p>A clearance document was checked and accepted for this session.</p>}
      {documents.isLoading && <Loading label="Loading documents…" />}
      <ErrorNotice error={documents.error} />
      {documents.data && documents.data.length > 0 && (
        <ul className="plain-list" aria-label="Clearance documents">
          {documents.data.map((d) => (
            <li key={d.id} className="stack">
              <div className="row-between">
                <span>
                  <a href={`/api/bookings/${booking.id}/clearance-documents/${d.id}`} download={d.filename}>
                    {d.filename}
                  </a>{' '}
                  <span className="muted small">
                    {Math.max(1, Math.round(d.sizeBytes / 1024))} KB, sent {formatWhen(d.uploadedAt)}
                  </span>
                </span>
                <span
                  className={`badge ${d.status === 'verified' ? 'badge-confirmed' : d.status === 'rejected' ? 'badge-cancelled' : 'badge-held'}`}
                >
                  {DOCUMENT_STATUS[d.status]}
                </span>
              </div>
              {d.status === 'rejected' && d.reviewNote && <p className="small">Reason: {d.reviewNote}</p>}
              {viewer === 'staff' && d.status === 'submitted' && upcoming && <Review booking={booking} document={d} />}
            </li>
          ))}
        </ul>
      )}
      {status === 'pending' && upcoming && <Upload booking={booking} />}
    </section>
  );
}
