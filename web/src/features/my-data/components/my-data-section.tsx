import { useState } from 'react';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { FHIR_EXPORT_URL, JSON_EXPORT_URL, useEraseHealthData, useErasurePlan } from '../api/my-data';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Counts in words: `outcomeMeasurements` as "outcome measurements". */
const words = (key: string) => key.replace(/([A-Z])/g, ' $1').toLowerCase();

/**
 * A client's data: download everything Knotwork holds about their health (readable JSON, or a FHIR R4 Bundle for
 * another clinic's system), and erase it after a confirmation that lists, from the server, what goes at once and
 * what is kept; then what was erased.
 */
export function MyDataSection() {
  const plan = useErasurePlan();
  const erase = useEraseHealthData();
  const [confirming, setConfirming] = useState(false);
  const [sure, setSure] = useState(false);
  return (
    <section className="card stack" aria-labelledby="my-data-heading">
      <h2 id="my-data-heading">My data</h2>
      <p className="muted">
        Download everything Knotwork holds about your health: your consultations, screenings, session notes, outcome
        measures, treatment plans and who read them. Each download is recorded in your access log.
      </p>
      <div className="actions">
        <a className="btn" href={JSON_EXPORT_URL} download="knotwork-health-data.json">
          Download (JSON)
        </a>
        <a className="btn" href={FHIR_EXPORT_URL} download="knotwork-health-data.fhir.json">
          Download for another clinic (FHIR R4)
        </a>
      </div>
      {erase.data ? (
        <div className="notice notice-success stack" role="status">
          <p>Your health information is erased.</p>
          <ul className="stack">
            {Object.entries(erase.data.erased)
              // Restricted notes are not erased yet: they are told below, with their day.
              .filter(([key, count]) => count > 0 && key !== 'signedNotesRestricted')
              .map(([key, count]) => (
                <li key={key}>
                  {sentence(words(key))}: {count} erased
                </li>
              ))}
          </ul>
          <KeptRestricted sentences={erase.data.keptRestricted.map((k) => k.sentence)} />
          <p>Kept:</p>
          <ul className="stack">
            {erase.data.kept.map((k) => (
              <li key={k}>{k}</li>
            ))}
          </ul>
        </div>
      ) : !confirming ? (
        <div>
          <button type="button" className="btn btn-danger-outline" onClick={() => setConfirming(true)}>
            Erase my health information…
          </button>
        </div>
      ) : plan.isPending ? (
        <Loading />
      ) : plan.error ? (
        <ErrorNotice error={plan.error} />
      ) : (
        <div className="stack" role="group" aria-labelledby="erase-heading">
          <h3 id="erase-heading">Erase your health information</h3>
          <p>Erased at once:</p>
          <ul className="stack">
            {plan.data.erases.map((e) => (
              <li key={e}>{sentence(e)}</li>
            ))}
          </ul>
          <KeptRestricted sentences={plan.data.keptRestricted.map((k) => k.sentence)} />
          <p>Kept:</p>
          <ul className="stack">
            {plan.data.kept.map((k) => (
              <li key={k}>{k}</li>
            ))}
          </ul>
          <p>
            Sessions still to come cannot start until you complete the consultation again; their therapists are told.
          </p>
          <ErrorNotice error={erase.error} />
          <label className="check">
            <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />
            <span>I understand that erased health information cannot be recovered</span>
          </label>
          <div className="actions">
            <button
              type="button"
              className="btn btn-danger"
              disabled={!sure || erase.isPending}
              onClick={() => erase.mutate()}
            >
              {erase.isPending ? 'Erasing…' : 'Erase my health information'}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Signed session notes the market keeps, restricted, before they go: how many, how long, and the last day. */
function KeptRestricted({ sentences }: { sentences: string[] }) {
  if (sentences.length === 0) return null;
  return (
    <>
      <p>Kept restricted, then deleted:</p>
      <ul className="stack">
        {sentences.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </>
  );
}
