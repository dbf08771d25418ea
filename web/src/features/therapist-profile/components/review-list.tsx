import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { Pager } from '../../../shared/components/pager';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Review } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { REVIEW_PAGE_SIZE, useHideReview, useReplyToReview, useReviews } from '../api/therapist-profile';

export interface Viewer {
  id: string;
  role: 'client' | 'therapist' | 'operator';
}

/** The therapist's one reply, written on their own profile. */
function ReplyForm({ therapistId, review }: { therapistId: string; review: Review }) {
  const reply = useReplyToReview(therapistId, review.id);
  const [text, setText] = useState('');
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        reply.mutate(text.trim());
      }}
    >
      <Field
        label={`Reply to ${review.author}`}
        hint="One reply, shown under the review."
        error={fieldError(reply.error, 'text')}
      >
        {(control) => (
          <textarea {...control} rows={2} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} />
        )}
      </Field>
      <ErrorNotice error={reply.error} shownFields={['text']} />
      <div className="actions">
        <button type="submit" className="btn" disabled={reply.isPending}>
          Send reply
        </button>
      </div>
    </form>
  );
}

/** An operator hides a review with the reason, which the audit log keeps. */
function HideForm({ therapistId, review }: { therapistId: string; review: Review }) {
  const hide = useHideReview(therapistId, review.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <div className="actions">
        <button type="button" className="btn btn-danger-outline" onClick={() => setOpen(true)}>
          Hide review
        </button>
      </div>
    );
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        hide.mutate(reason.trim());
      }}
    >
      <Field label="Why hide it?" hint="Kept in the audit log." error={fieldError(hide.error, 'reason')}>
        {(control) => <input {...control} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <ErrorNotice error={hide.error} shownFields={['reason']} />
      <div className="actions">
        <button type="submit" className="btn btn-danger" disabled={hide.isPending}>
          Hide review
        </button>
        <button type="button" className="btn btn-link" onClick={() => setOpen(false)}>
          Keep it
        </button>
      </div>
    </form>
  );
}

function ReviewItem({
  review,
  therapistId,
  therapistName,
  viewer,
}: {
  review: Review;
  therapistId: string;
  therapistName: string;
  viewer: Viewer | null;
}) {
  const own = viewer?.id === therapistId;
  return (
    <li className="card review">
      <p className="review-stars">
        <span aria-hidden="true">{'★'.repeat(review.stars) + '☆'.repeat(5 - review.stars)}</span>
        <span className="visually-hidden">{review.stars} out of 5 stars</span>
      </p>
      <blockquote className="review-text">{review.text}</blockquote>
      <p className="muted">
        {review.author} · {formatWhen(review.createdAt, 'date')}
      </p>
      {review.hidden && <p className="notice notice-warning">Hidden from the profile: {review.hidden.reason}</p>}
      {review.reply ? (
        <div className="review-reply">
          <p>
            <strong>Reply from {therapistName}</strong>
          </p>
          <p>{review.reply.text}</p>
        </div>
      ) : (
        own && <ReplyForm therapistId={therapistId} review={review} />
      )}
      {viewer?.role === 'operator' && !review.hidden && <HideForm therapistId={therapistId} review={review} />}
    </li>
  );
}

/** The therapist's reviews, newest first, with the therapist's reply form on their own and the operator's hide. */
export function ReviewList({
  therapistId,
  therapistName,
  viewer,
}: {
  therapistId: string;
  therapistName: string;
  viewer: Viewer | null;
}) {
  const [page, setPage] = useState(1);
  const reviews = useReviews(therapistId, page);
  if (reviews.isLoading) return <Loading label="Loading reviews…" />;
  if (reviews.error || !reviews.data) return <ErrorNotice error={reviews.error} />;
  const { total, reviews: items } = reviews.data;
  return (
    <>
      {items.length === 0 ? (
        <p className="muted">No written reviews yet.</p>
      ) : (
        <ul className="stack" role="list">
          {items.map((review) => (
            <ReviewItem
              key={review.id}
              review={review}
              therapistId={therapistId}
              therapistName={therapistName}
              viewer={viewer}
            />
          ))}
        </ul>
      )}
      <Pager label="Review pages" page={page} total={total} pageSize={REVIEW_PAGE_SIZE} onPage={setPage} />
    </>
  );
}
