import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { useOwnTherapistProfile } from '../../../shared/lib/own-profile';
import { Link } from '../../../shared/lib/router';
import { OtherCalendarSection } from './other-calendar-section';
import { OverridesEditor } from './overrides-editor';
import { WeeklyHoursEditor } from './weekly-hours-editor';

export function HoursPage() {
  const profile = useOwnTherapistProfile();
  if (profile.isLoading) return <Loading />;
  if (profile.error) return <ErrorNotice error={profile.error} />;
  if (!profile.data) {
    return (
      <EmptyState title="Set up your practice first.">
        <Link className="btn btn-primary" to="/therapist/setup">
          Set up your practice
        </Link>
      </EmptyState>
    );
  }
  return (
    <div className="medium stack">
      <PageHeader title="Hours" />
      <WeeklyHoursEditor profile={profile.data} />
      <OverridesEditor profile={profile.data} />
      <OtherCalendarSection />
    </div>
  );
}
