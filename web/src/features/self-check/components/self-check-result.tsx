import { PageHeader } from '../../../shared/components/states';
import { withQuery } from '../../../shared/lib/api-client';
import type { SelfCheckResult } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';

type Statement = SelfCheckResult['likely'][number];
type Safety = SelfCheckResult['safety'];

const sourceId = (key: string) => `source-${key.replace(/[^A-Za-z0-9-]/g, '-')}`;

/** Search with the specialty and the places filled in; the places travel on to the hold and the consultation. */
function searchFor(result: SelfCheckResult): string {
  return withQuery('/search', {
    specialty: result.search.specialty ?? undefined,
    focus: result.search.focusRegions.join(',') || undefined,
  });
}

function Sources({ statement }: { statement: Statement }) {
  return (
    <p className="muted small">
      Sources:{' '}
      {statement.sources.map((s, i) => (
        <span key={s.key}>
          {i > 0 && ', '}
          <a href={`#${sourceId(s.key)}`}>{s.key}</a>
        </span>
      ))}
    </p>
  );
}

function Statements({ id, title, items }: { id: string; title: string; items: Statement[] }) {
  if (items.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="plain-list self-check-list" role="list">
        {items.map((s) => (
          <li key={s.id} className="self-check-item">
            <h3>{s.title}</h3>
            <p>{s.text}</p>
            <Sources statement={s} />
          </li>
        ))}
      </ul>
    </section>
  );
}

const SAFETY_CLASS: Record<Safety['level'], string> = {
  emergency: 'notice notice-error',
  same_day: 'notice notice-error',
  not_today: 'notice notice-warning',
  doctor_first: 'notice notice-warning',
  adapt: 'notice notice-info',
  clear: 'notice notice-success',
};

/** The safety answer: first, and for an emergency or a same-day doctor read out at once. */
function SafetyAnswer({ safety }: { safety: Safety }) {
  const urgent = safety.level === 'emergency' || safety.level === 'same_day';
  return (
    <section
      className={`${SAFETY_CLASS[safety.level]} stack`}
      aria-labelledby="safety-heading"
      role={urgent ? 'alert' : undefined}
    >
      <h2 id="safety-heading">{safety.messages.length > 0 ? 'When to see a doctor first' : 'Is it safe to book?'}</h2>
      <p>
        <strong>{safety.headline}</strong>
      </p>
      {safety.messages.map((m) => (
        <div key={m.id}>
          <h3>{m.title}</h3>
          <p>{m.text}</p>
          <Sources statement={m} />
        </div>
      ))}
    </section>
  );
}

function FindTherapist({ result, quiet }: { result: SelfCheckResult; quiet?: boolean }) {
  const after = result.safety.findTherapist === 'after_doctor';
  return (
    <Link className={`btn ${quiet || after ? '' : 'btn-primary btn-large'}`} to={searchFor(result)}>
      {after ? 'Find a therapist for after your doctor’s note' : 'Find a therapist for this'}
    </Link>
  );
}

/**
 * The result: the safety answer first (the screening's own words), then what is likely going on, what a session would
 * do, what to do yourself, the guides, and every source cited. "Find a therapist for this" opens search with the
 * specialty and the places; the screening decides whether it is offered, offered after a doctor's note, or not at all.
 */
export function SelfCheckResultView({ result, onChange }: { result: SelfCheckResult; onChange: () => void }) {
  const { safety } = result;
  const offered = safety.findTherapist === 'shown';
  return (
    <div className="stack">
      <PageHeader title="Your self-check">
        <p>In plain words, from the catalogues our therapists and our consultation use. It is not a diagnosis.</p>
      </PageHeader>
      <SafetyAnswer safety={safety} />
      {offered && (
        <div className="actions">
          <FindTherapist result={result} />
        </div>
      )}
      {safety.findTherapist === 'hidden' && (
        <p>
          Please put your health first. When a doctor has seen you and says massage is fine, check again here and we
          will help you find a therapist.
        </p>
      )}
      <Statements id="likely-heading" title="What is likely going on" items={result.likely} />
      <Statements id="session-heading" title="What a deep tissue session would do" items={result.session} />
      <Statements id="self-care-heading" title="What you can do yourself" items={result.selfCare} />
      {result.guides.length > 0 && (
        <section className="card stack" aria-labelledby="guides-heading">
          <h2 id="guides-heading">Read more</h2>
          <ul role="list">
            {result.guides.map((g) => (
              <li key={g.slug}>
                {/* The guides are pages the server renders, not screens of this app: a full page load. */}
                <a href={g.path}>{g.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="actions">
        {safety.findTherapist === 'after_doctor' && <FindTherapist result={result} quiet />}
        {offered && <FindTherapist result={result} quiet />}
        <button type="button" className="btn" onClick={onChange}>
          Change my answers
        </button>
      </div>
      <section className="stack" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources</h2>
        <ul className="plain-list small self-check-sources" role="list">
          {result.sources.map((s) => (
            <li key={s.key} id={sourceId(s.key)}>
              <strong>{s.key}</strong>: {s.where}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
