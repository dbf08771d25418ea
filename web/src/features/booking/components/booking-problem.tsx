import { ErrorNotice } from '../../../shared/components/states';
import { ApiError, type Problem } from '../../../shared/lib/api-client';
import { Link, useLocation } from '../../../shared/lib/router';

/** What a refused hold, confirm or move carries besides the problem itself (src/screening/booking-screening.ts). */
interface ScreeningRefusal extends Problem {
  headline?: string;
  medicalUrgency?: 'same_day' | 'emergency' | null;
  reasons?: { ruleId: string; message: string }[];
}

const SCREENING_CODES = new Set(['intake_required', 'screening_not_today', 'focus_regions_excluded']);

/**
 * Why a session cannot be held, confirmed or moved, in plain words and with the next step: the consultation when
 * there is none (coming back here afterwards), a doctor when screening says so, other areas when every chosen one
 * must be avoided. Anything else is an ordinary error notice.
 */
export function BookingProblem({ error }: { error: unknown }) {
  const { href } = useLocation();
  if (!(error instanceof ApiError) || !SCREENING_CODES.has(error.code)) return <ErrorNotice error={error} />;
  const problem = error.problem as ScreeningRefusal;
  const consultation = `/consultation${error.code === 'intake_required' ? '' : '/edit'}?next=${encodeURIComponent(href)}`;
  if (error.code === 'intake_required') {
    return (
      <div className="notice notice-warning" role="alert">
        <p>
          <strong>Before your first booking, please complete your consultation.</strong>
        </p>
        <p>
          Tell us where it hurts and about your health, so your therapist can keep the session safe. It takes about five
          minutes, and you come back here afterwards.
        </p>
        <Link className="btn btn-primary" to={consultation}>
          Complete my consultation
        </Link>
      </div>
    );
  }
  const reasons = problem.reasons ?? [];
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{problem.headline ?? problem.title}</strong>
      </p>
      {problem.medicalUrgency === 'emergency' && <p>Do not drive yourself.</p>}
      {reasons.length > 0 && (
        <ul>
          {reasons.map((r) => (
            <li key={r.ruleId}>{r.message}</li>
          ))}
        </ul>
      )}
      {error.code === 'focus_regions_excluded' ? (
        <p>Choose other areas for the session to focus on, and try again.</p>
      ) : (
        <p>
          If something has changed since your consultation, <Link to={consultation}>update your consultation</Link>.
        </p>
      )}
    </div>
  );
}
