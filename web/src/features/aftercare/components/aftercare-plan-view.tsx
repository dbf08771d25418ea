import type { AftercarePlan } from '../../../shared/lib/api-types';

/** The aftercare as the client reads it: each section with what to do, how much, and why; warning signs stand out. */
export function AftercarePlanView({ plan }: { plan: AftercarePlan }) {
  return (
    <div className="stack aftercare-plan">
      {plan.sections.map((section) => (
        <section key={section.id} className="card" aria-labelledby={`aftercare-${section.id}`}>
          <h2 id={`aftercare-${section.id}`}>{section.title}</h2>
          <ul className="aftercare-items">
            {section.items.map((item) => (
              <li key={item.id} className={item.emergency ? 'aftercare-emergency' : undefined}>
                {item.emergency ? <strong>Emergency: {item.text}</strong> : <p>{item.text}</p>}
                {item.dosage && <p className="aftercare-dosage">{item.dosage}</p>}
                {item.why && <p className="muted small">Why: {item.why}</p>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
