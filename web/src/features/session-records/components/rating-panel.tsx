import { useState } from 'react';
import { FieldSet, Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { useRate, useRatingStatus } from '../api/session-records';

const CHOICES = {
  client: [
    ['prefer', 'I would like them again'],
    ['neutral', 'No preference'],
    ['never', 'Never again'],
  ],
  therapist: [
    ['neutral', 'Happy to see them again'],
    ['never', 'Never again'],
  ],
} as const;

/**
 * One rating per side after the session: stars, whether to meet again, a private comment, and for the client a
 * public review. "Never again" keeps the two
 * apart in search and booking, without telling the other who chose it.
 */
export function RatingPanel({
  bookingId,
  rater,
  otherName,
}: {
  bookingId: string;
  rater: 'client' | 'therapist';
  otherName: string;
}) {
  const status = useRatingStatus(bookingId);
  const rate = useRate(bookingId);
  const [stars, setStars] = useState<number | null>(null);
  const [preference, setPreference] = useState<'prefer' | 'neutral' | 'never'>('neutral');
  const [comment, setComment] = useState('');
  const [review, setReview] = useState('');
  if (status.isLoading) return <Loading />;
  const mine = status.data?.[rater];
  return (
    <section className="card" aria-labelledby="rating-heading">
      <h2 id="rating-heading">{rater === 'client' ? 'Rate your session' : `Rate ${otherName}`}</h2>
      {mine ? (
        <>
          <p>
            You rated this session {mine.stars} out of 5{mine.comment ? `: “${mine.comment}”` : '.'}
          </p>
          {mine.review && (
            <p>
              Your review{mine.hidden ? ', hidden by Knotwork from the profile' : ''}: “{mine.review}”
            </p>
          )}
          {mine.reply && (
            <p>
              {otherName} replied: “{mine.reply.text}”
            </p>
          )}
        </>
      ) : status.data?.canRate ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (stars !== null)
              rate.mutate({
                stars,
                preference,
                ...(comment.trim() ? { comment: comment.trim() } : {}),
                ...(review.trim() ? { review: review.trim() } : {}),
              });
          }}
        >
          <FieldSet
            legend={rater === 'client' ? `How was your session with ${otherName}?` : 'How was the session?'}
            error={fieldError(rate.error, 'stars')}
          >
            <div className="stars">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="star">
                  <input
                    type="radio"
                    name={`stars-${bookingId}`}
                    value={n}
                    checked={stars === n}
                    onChange={() => setStars(n)}
                  />
                  <span>
                    {n} {n === 1 ? 'star' : 'stars'}
                  </span>
                </label>
              ))}
            </div>
          </FieldSet>
          <FieldSet legend="Next time" error={fieldError(rate.error, 'preference')}>
            <div className="choice-row">
              {CHOICES[rater].map(([value, label]) => (
                <label key={value} className="choice">
                  <input
                    type="radio"
                    name={`preference-${bookingId}`}
                    value={value}
                    checked={preference === value}
                    onChange={() => setPreference(value)}
                  />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </FieldSet>
          {rater === 'client' && (
            <Field
              label="Review (optional)"
              hint={`Shown on ${otherName}’s profile with your first name and initial.`}
              error={fieldError(rate.error, 'review')}
            >
              {(control) => (
                <textarea
                  {...control}
                  rows={3}
                  maxLength={2000}
                  value={review}
                  onChange={(e) => setReview(e.target.value)}
                />
              )}
            </Field>
          )}
          <Field
            label="Private comment (optional)"
            hint="Only you and Knotwork read it."
            error={fieldError(rate.error, 'comment')}
          >
            {(control) => (
              <textarea
                {...control}
                rows={2}
                maxLength={1000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            )}
          </Field>
          <ErrorNotice error={rate.error} shownFields={['stars', 'preference', 'comment', 'review']} />
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={stars === null || rate.isPending}>
              Send rating
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">
          {rater === 'client'
            ? 'You can rate the session once it is over.'
            : 'You can rate the client once the session is over.'}
        </p>
      )}
    </section>
  );
}
