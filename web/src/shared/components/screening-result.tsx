import { useId } from 'react';
import type { ClientScreening, ScreeningOutcome } from '../lib/api-types';
import { capitalised, changesInWords } from '../lib/screening-words';

const TONE: Record<ScreeningOutcome, string> = {
  proceed: 'notice-success',
  adapt: 'notice-info',
  clearance_required: 'notice-warning',
  not_today: 'notice-error',
};

/**
 * The client's screening in plain words: whether deep tissue suits them, why not, what the therapist will adapt,
 * and who must give clearance. Urgent medical wording is announced at once.
 */
export function ScreeningResult({
  screening,
  headingLevel = 2,
  title = 'Is deep tissue massage right for you?',
}: {
  screening: ClientScreening;
  headingLevel?: 2 | 3;
  title?: string;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  const urgent = screening.medicalUrgency !== null;
  const headingId = useId();
  const shown = new Set(screening.changes.map((c) => c.region));
  const nearby = screening.limits.filter((l) => !shown.has(l.region));
  return (
    <section className={`screening-result screening-${screening.outcome}`} aria-labelledby={headingId}>
      <Heading id={headingId}>{title}</Heading>
      <div className={`notice ${TONE[screening.outcome]}`} role={urgent ? 'alert' : undefined}>
        <p className="screening-headline">
          <strong>{screening.headline}</strong>
        </p>
        {screening.medicalUrgency === 'emergency' && <p>Do not drive yourself.</p>}
      </div>
      {screening.messages.length > 0 && (
        <>
          <Sub>{screening.outcome === 'proceed' ? 'Good to know' : 'Why'}</Sub>
          <ul className="screening-reasons">
            {screening.messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </>
      )}
      {screening.outcome !== 'not_today' && screening.changes.length > 0 && (
        <>
          <Sub>What your therapist will adapt</Sub>
          <ul className="screening-changes">
            {changesInWords(screening.changes).map(({ change, places }) => (
              <li key={change}>
                <strong>{capitalised(change)}</strong>: {places}
              </li>
            ))}
          </ul>
        </>
      )}
      {screening.outcome !== 'not_today' && nearby.length > 0 && (
        <>
          <Sub>Next to the places you chose</Sub>
          {/* Worded and grouped as the list above; each reason is said once, however many places it touches. */}
          <ul className="screening-limits">
            {changesInWords(nearby).map(({ change, places }) => (
              <li key={change}>
                <strong>{capitalised(change)}</strong>: {places}
              </li>
            ))}
          </ul>
          {[...new Set(nearby.flatMap((limit) => limit.why))].map((why) => (
            <p key={why} className="screening-limits-why">
              {why}
            </p>
          ))}
        </>
      )}
      {screening.advice.length > 0 && (
        <>
          <Sub>During the session</Sub>
          <ul>
            {screening.advice.map((advice) => (
              <li key={advice}>{advice}</li>
            ))}
          </ul>
        </>
      )}
      {screening.clearance.length > 0 && (
        <>
          <Sub>Medical clearance</Sub>
          <ul>
            {screening.clearance.map((c) => (
              <li key={`${c.level}:${c.from}`}>
                {c.level === 'required'
                  ? `Needed before the session: a note from ${c.from} saying deep tissue massage is safe for you. You can upload it on your booking.`
                  : `Advised: check with ${c.from} that deep tissue massage is right for you.`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
