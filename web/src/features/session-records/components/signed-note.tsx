import type { StoredNote } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';

const CHANGED_WORDS: Record<string, string> = {
  painBefore: 'pain before',
  findings: 'findings',
  regionsWorked: 'regions worked',
  painAfter: 'pain after',
  assessment: 'assessment',
  plan: 'plan',
  freeText: 'other notes',
  exceedanceReasons: 'reasons for exceeding the screening',
};

/** A note in the SOAP layout (as the server writes it): what the client reported, what was found and done, the assessment and the plan. */
export function SoapSections({ soap, headingLevel = 3 }: { soap: StoredNote['soap']; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const sections = [
    ['Subjective', soap.subjective],
    ['Objective', soap.objective],
    ['Assessment', soap.assessment],
    ['Plan', soap.plan],
  ] as const;
  return (
    <div className="soap">
      {sections
        .filter(([, lines]) => lines.length > 0)
        .map(([title, lines]) => (
          <section key={title}>
            <Heading>{title}</Heading>
            <ul>
              {lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          </section>
        ))}
      {soap.otherNotes && (
        <section>
          <Heading>Other notes</Heading>
          <p>{soap.otherNotes}</p>
        </section>
      )}
    </div>
  );
}

/** The signed note as it stands, why it went beyond the screening, its amendments, and the original as signed. */
export function SignedNote({ stored }: { stored: StoredNote }) {
  return (
    <div className="stack">
      <p className="muted small">
        Signed {stored.signedAt && formatWhen(stored.signedAt)} by {stored.signedBy?.displayName}. A signed note cannot
        change; corrections are amendments.
      </p>
      <SoapSections soap={stored.soap} />
      {stored.exceedances.length > 0 && (
        <section>
          <h3>Beyond the screening</h3>
          <ul>
            {stored.exceedances.map((e) => (
              <li key={`${e.region}-${e.kind}`}>
                {e.description}: {e.reason ?? 'no reason given'}
              </li>
            ))}
          </ul>
        </section>
      )}
      {stored.amendments.length > 0 && (
        <section aria-labelledby={`amendments-${stored.id}`}>
          <h3 id={`amendments-${stored.id}`}>Amendments</h3>
          <ol className="amendments">
            {stored.amendments.map((a) => (
              <li key={a.id}>
                <p>
                  <strong>{formatWhen(a.createdAt)}</strong>, {a.author.displayName}: {a.reason}
                </p>
                <p className="muted small">Changed: {a.changedFields.map((f) => CHANGED_WORDS[f] ?? f).join(', ')}</p>
              </li>
            ))}
          </ol>
          {stored.original && (
            <details>
              <summary>The note as originally signed</summary>
              <SoapSections soap={stored.original.soap} headingLevel={4} />
            </details>
          )}
        </section>
      )}
    </div>
  );
}
