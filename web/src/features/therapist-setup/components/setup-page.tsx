import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { useOwnTherapistProfile } from '../../../shared/lib/own-profile';
import { Link } from '../../../shared/lib/router';
import { PhotoForm } from './photo-form';
import { ProfileForm } from './profile-form';
import { ServicesForm } from './services-form';
import { StudiosForm } from './studios-form';

function Checklist({ profile }: { profile: TherapistProfile | null }) {
  const steps = [
    { done: profile !== null, label: 'Profile and licence' },
    { done: (profile?.services.length ?? 0) > 0, label: 'Services and prices' },
    { done: (profile?.studios.length ?? 0) > 0 || profile?.mobileArea != null, label: 'A studio or an at-home area' },
    { done: (profile?.weeklyHours.length ?? 0) > 0, label: 'Weekly hours', link: '/therapist/hours' },
    { done: profile?.licence.status === 'approved', label: 'Licence approved by Knotwork' },
  ];
  const status = profile?.licence.status;
  return (
    <section className="card" aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">{profile?.searchable ? 'You appear in search' : 'Before you appear in search'}</h2>
      <ol className="checklist">
        {steps.map((s) => (
          <li key={s.label} className={s.done ? 'done' : undefined}>
            <span className="check-mark" aria-hidden="true">
              {s.done ? '✓' : ''}
            </span>
            {s.link && !s.done ? <Link to={s.link}>{s.label}</Link> : s.label}
            <span className="visually-hidden">{s.done ? ' (done)' : ' (to do)'}</span>
          </li>
        ))}
      </ol>
      {status === 'pending' && profile?.licence.number && (
        <p className="notice notice-info">Your licence is waiting for review. We will tell you when it is approved.</p>
      )}
      {status === 'rejected' && (
        <p className="notice notice-error">
          Your licence was not approved{profile?.licence.reviewNote ? `: ${profile.licence.reviewNote}` : '.'} Update
          the details below to send it again.
        </p>
      )}
    </section>
  );
}

export function SetupPage() {
  const profile = useOwnTherapistProfile();
  if (profile.isLoading) return <Loading />;
  if (profile.error) return <ErrorNotice error={profile.error} />;
  const data = profile.data ?? null;
  return (
    <div className="narrow stack">
      <PageHeader title={data ? 'Your practice' : 'Set up your practice'}>
        <p>Tell clients who you are and how you work. Everything can be changed later.</p>
      </PageHeader>
      <Checklist profile={data} />
      <ProfileForm key={data ? 'saved' : 'new'} profile={data} />
      {data ? (
        <>
          <PhotoForm profile={data} />
          <ServicesForm profile={data} />
          <StudiosForm profile={data} />
          <p>
            <Link className="btn btn-primary" to="/therapist/hours">
              Next: weekly hours
            </Link>
          </p>
        </>
      ) : (
        <p className="muted">After saving, add your services, studios and hours.</p>
      )}
    </div>
  );
}
