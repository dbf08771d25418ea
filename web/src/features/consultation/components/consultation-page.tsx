import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { regionRefLabel } from '../../../../../src/domain/body-regions';
import { type BodyMapValue, BodyMapView } from '../../../shared/components/body-map/body-map';
import { forgetSelfCheckMarks } from '../../../shared/lib/self-check-marks';
import { ScreeningResult } from '../../../shared/components/screening-result';
import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { IntakeVersion, SavedIntake } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { withQuery } from '../../../shared/lib/api-client';
import { Link, navigate, sameSitePath } from '../../../shared/lib/router';
import { LAST_SAVE, useMyIntake, useMyScreening } from '../api/intake';
import { ConsultationForm } from './consultation-form';

/** After the consultation the client goes back to what they were doing (`next`, a booking), else to the search. */
const savedUrl = (next: string | undefined) => withQuery('/consultation', { next, saved: 1 });

function NextStep({ next }: { next: string | undefined }) {
  return next ? (
    <Link className="btn btn-primary" to={next}>
      Continue booking
    </Link>
  ) : (
    <Link className="btn btn-primary" to="/search">
      Find a therapist
    </Link>
  );
}

function SavedNotice({ version }: { version: IntakeVersion }) {
  const lastSave = useQueryClient().getQueryData<SavedIntake>(LAST_SAVE);
  const changed = lastSave?.version.version === version.version ? lastSave.rescreened.length : 0;
  return (
    <div className="notice notice-success" role="status">
      <p>Saved as version {version.version}. Earlier versions are kept.</p>
      {changed > 0 && (
        <p>
          The screening of {changed === 1 ? 'an upcoming booking' : `${changed} upcoming bookings`} changed with it.{' '}
          <Link to="/bookings">See my bookings</Link>
        </p>
      )}
    </div>
  );
}

function Summary({ version }: { version: IntakeVersion }) {
  const { intake } = version;
  const marked = intake.bodyMap;
  return (
    <section className="card stack" aria-labelledby="consultation-summary">
      <div className="row-between">
        <h2 id="consultation-summary">What you told us</h2>
        <span className="muted small">
          Version {version.version}, {formatWhen(version.createdAt)}
        </span>
      </div>
      <BodyMapView value={Object.fromEntries(marked.map((e) => [e.region, e]))} />
      {marked.length > 0 ? (
        <ul className="plain-list">
          {marked.map((e) => (
            <li key={e.region}>
              <strong>{regionRefLabel(e.region)}</strong>: tightness {e.tightness}/10, pain {e.pain}/10
              {e.note ? ` · ${e.note}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No areas marked.</p>
      )}
      {intake.goals.length > 0 && (
        <>
          <h3>Goals</h3>
          <ul>
            {intake.goals.map((goal) => (
              <li key={goal}>{goal}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * The client's consultation: the form before the first one; afterwards the screening result, a summary and "update".
 * `intro` says what comes after the first one (the time the client tapped); with `continueAtOnce`, saving it goes
 * straight on to `next`, which shows the screening itself (the hold of that time).
 */
export function ConsultationPage({
  next,
  saved,
  intro,
  continueAtOnce = false,
  prefill = null,
}: {
  next?: string | undefined;
  saved: boolean;
  intro?: ReactNode;
  continueAtOnce?: boolean;
  /** Where the body map starts: the places marked in the self-check, if the client came from it. */
  prefill?: BodyMapValue | null;
}) {
  const target = sameSitePath(next) ?? undefined;
  const intake = useMyIntake();
  const screening = useMyScreening(Boolean(intake.data));
  if (intake.isLoading) return <Loading />;
  if (intake.error) return <ErrorNotice error={intake.error} />;
  const latest = intake.data ?? null;
  if (!latest) {
    return (
      <div className="medium">
        <PageHeader title="Your consultation">
          {intro}
          <p>
            Before your first session, tell us where it hurts, what you would like to change and about your health. It
            takes about five minutes, and it keeps your session safe.
          </p>
          {prefill && (
            <p className="notice notice-info">
              The places you marked in your self-check are already on the body map. Change them as you like.
            </p>
          )}
        </PageHeader>
        <ConsultationForm
          latest={null}
          initialBodyMap={prefill}
          onSaved={() => {
            forgetSelfCheckMarks();
            navigate(continueAtOnce && target ? target : savedUrl(target));
          }}
        />
      </div>
    );
  }
  return (
    <div className="medium stack">
      <PageHeader title="Your consultation">{saved && <SavedNotice version={latest} />}</PageHeader>
      {screening.isLoading && <Loading label="Checking your screening…" />}
      <ErrorNotice error={screening.error} />
      {screening.data && (
        <div className="card">
          <ScreeningResult screening={screening.data.forClient} />
        </div>
      )}
      <div className="actions">
        {screening.data?.forClient.outcome !== 'not_today' && <NextStep next={target} />}
        <Link className="btn" to={withQuery('/consultation/edit', { next: target })}>
          Update my consultation
        </Link>
      </div>
      <Summary version={latest} />
    </div>
  );
}

/** Editing the consultation: saving makes a new version, then shows its screening. */
export function ConsultationEditPage({ next }: { next?: string | undefined }) {
  const target = sameSitePath(next) ?? undefined;
  const intake = useMyIntake();
  if (intake.isLoading) return <Loading />;
  if (intake.error) return <ErrorNotice error={intake.error} />;
  return (
    <div className="medium">
      <PageHeader title="Update your consultation">
        <p>
          Change anything that is different now. Saving keeps the earlier version and checks your upcoming bookings
          again.
        </p>
      </PageHeader>
      <ConsultationForm latest={intake.data ?? null} onSaved={() => navigate(savedUrl(target))} />
    </div>
  );
}
