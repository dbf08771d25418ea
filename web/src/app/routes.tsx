import { type ReactNode, Suspense, lazy, useState } from 'react';
import { useCurrentUser } from '../features/auth/api/session';
import { ForgotPasswordPage } from '../features/auth/components/forgot-password-page';
import { ResetPasswordPage } from '../features/auth/components/reset-password-page';
import { SignInLinkPage } from '../features/auth/components/sign-in-link-page';
import { VerifyEmailPage } from '../features/account-settings/components/verify-email-page';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { SignUpPage } from '../features/auth/components/sign-up-page';
import { useBooking, useHold, useReschedule } from '../features/booking/api/bookings';
import { BookingPage } from '../features/booking/components/booking-page';
import { BookingProblem } from '../features/booking/components/booking-problem';
import { FocusPicker } from '../features/booking/components/focus-picker';
import { MyBookingsPage } from '../features/booking/components/my-bookings-page';
import { RescheduleIntro } from '../features/booking/components/reschedule-intro';
import { StaffBookingPage } from '../features/booking/components/staff-booking-page';
import { useMyIntake } from '../features/consultation/api/intake';
import { MessagesPage } from '../features/messages/components/messages-page';
import { SearchPage } from '../features/search/components/search-page';
import type { SlotPick } from '../features/search/components/slot-pick';
import { TherapistSlotPicker } from '../features/search/components/therapist-slot-picker';
import { SchedulePage } from '../features/therapist-schedule/components/schedule-page';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../shared/components/states';
import { ApiError, withQuery } from '../shared/lib/api-client';
import { useOwnTherapistProfile } from '../shared/lib/own-profile';
import type { Booking, Role } from '../shared/lib/api-types';
import { browserZone } from '../shared/lib/format';
import { pendingSlotOfNext, pendingSlotPath } from '../shared/lib/pending-slot';
import { Link, type Location, navigate, useLocation } from '../shared/lib/router';
import { consultationPrefill, focusOfSearch } from '../shared/lib/self-check-marks';
import { regionRefLabel } from '../../../src/domain/body-regions';
import { AccountPage } from './account-page';
import { HomePage } from './home-page';
import { HoldRoute, PendingSlotNotice, holdOrConsultFirst } from './pending-hold';
import { ProfileTimes } from './profile-times';

/**
 * Screens most visits never open load on demand: the consultation (filled in once, edited rarely) and the
 * therapist's brief, which carry the body map and long forms. The first screen loads without them.
 */
const consultation = () => import('../features/consultation/components/consultation-page');
const ConsultationPage = lazy(() => consultation().then((m) => ({ default: m.ConsultationPage })));
const ConsultationEditPage = lazy(() => consultation().then((m) => ({ default: m.ConsultationEditPage })));
const PaymentsPage = lazy(() =>
  import('../features/payments/components/payments-page').then((m) => ({ default: m.PaymentsPage })),
);
const BriefPage = lazy(() => import('../features/brief/components/brief-page').then((m) => ({ default: m.BriefPage })));
/** Live sessions and safety: open during a session, or when something went wrong; never on the first screen. */
const LivePage = lazy(() => import('../features/live/components/live-page').then((m) => ({ default: m.LivePage })));
const IncidentReportPage = lazy(() =>
  import('../features/live/components/incident-report-page').then((m) => ({ default: m.IncidentReportPage })),
);
const BookingIncidents = lazy(() =>
  import('../features/live/components/booking-incidents').then((m) => ({ default: m.BookingIncidents })),
);
const IncidentQueuePage = lazy(() =>
  import('../features/live/components/incident-queue-page').then((m) => ({ default: m.IncidentQueuePage })),
);

/**
 * Screens of one role or one moment load on demand too, so each person's first screen carries only what every
 * visit needs (search, bookings, messages): session records and progress with their charts, the therapist's
 * set-up and hours, and the operator's queues.
 */
const sessionRecords = () => import('../features/session-records/components/session-page');
const SessionPage = lazy(() => sessionRecords().then((m) => ({ default: m.SessionPage })));
const ClientSessionRecord = lazy(() => sessionRecords().then((m) => ({ default: m.ClientSessionRecord })));
const ProgressPage = lazy(() =>
  import('../features/progress/components/progress-page').then((m) => ({ default: m.ProgressPage })),
);
const QuestionnairesPage = lazy(() =>
  import('../features/progress/components/questionnaires-page').then((m) => ({ default: m.QuestionnairesPage })),
);
const OutcomesPage = lazy(() =>
  import('../features/progress/components/outcomes-page').then((m) => ({ default: m.OutcomesPage })),
);
const SetupPage = lazy(() =>
  import('../features/therapist-setup/components/setup-page').then((m) => ({ default: m.SetupPage })),
);
const HoursPage = lazy(() =>
  import('../features/therapist-hours/components/hours-page').then((m) => ({ default: m.HoursPage })),
);
const LicencesPage = lazy(() =>
  import('../features/operator-licences/components/licences-page').then((m) => ({ default: m.LicencesPage })),
);
const MoneyPage = lazy(() =>
  import('../features/operator-money/components/money-page').then((m) => ({ default: m.MoneyPage })),
);
const EarningsPage = lazy(() =>
  import('../features/therapist-earnings/components/earnings-page').then((m) => ({ default: m.EarningsPage })),
);
const AllBookingsPage = lazy(() =>
  import('../features/operator-bookings/components/all-bookings-page').then((m) => ({ default: m.AllBookingsPage })),
);
const DeadLettersPage = lazy(() =>
  import('../features/operator-dead-letters/components/dead-letters-page').then((m) => ({
    default: m.DeadLettersPage,
  })),
);
const FlaggedScreeningsPage = lazy(() =>
  import('../features/operator-screenings/components/flagged-screenings-page').then((m) => ({
    default: m.FlaggedScreeningsPage,
  })),
);
/** Aftercare and check-ins are opened after a session, from a message or the menu. */
const AftercareEditorPage = lazy(() =>
  import('../features/aftercare/components/aftercare-editor-page').then((m) => ({ default: m.AftercareEditorPage })),
);
const ClientAftercarePage = lazy(() =>
  import('../features/aftercare/components/client-aftercare-page').then((m) => ({ default: m.ClientAftercarePage })),
);
const MyAftercarePage = lazy(() =>
  import('../features/aftercare/components/my-aftercare-page').then((m) => ({ default: m.MyAftercarePage })),
);
/** My waitlist: opened from an e-mail or the menu. */
const MyWaitlistPage = lazy(() =>
  import('../features/waitlist/components/my-waitlist-page').then((m) => ({ default: m.MyWaitlistPage })),
);
const TherapistProfilePage = lazy(() =>
  import('../features/therapist-profile/components/therapist-profile-page').then((m) => ({
    default: m.TherapistProfilePage,
  })),
);
/** Packages and gift cards: a few visits a year, so loaded on demand. */
const MyPackagesPage = lazy(() =>
  import('../features/prepaid/components/my-packages-page').then((m) => ({ default: m.MyPackagesPage })),
);
const GiftCardBalancePage = lazy(() =>
  import('../features/prepaid/components/gift-card-balance-page').then((m) => ({ default: m.GiftCardBalancePage })),
);
const BuyPackagePage = lazy(() =>
  import('../features/prepaid/components/buy-package-page').then((m) => ({ default: m.BuyPackagePage })),
);
const MembershipsPage = lazy(() =>
  import('../features/prepaid/components/memberships-page').then((m) => ({ default: m.MembershipsPage })),
);
const BuyGiftCardPage = lazy(() =>
  import('../features/prepaid/components/buy-gift-card-page').then((m) => ({ default: m.BuyGiftCardPage })),
);
const TherapistPackagesLink = lazy(() =>
  import('../features/prepaid/components/therapist-packages-link').then((m) => ({
    default: m.TherapistPackagesLink,
  })),
);
const CheckInPage = lazy(() =>
  import('../features/aftercare/components/check-in-page').then((m) => ({ default: m.CheckInPage })),
);
/** The self-check carries the body map and long answers: loaded on demand, like the consultation. */
// Booking for two, courses and the waitlist's join form are reached after a search, not on the first screen.
const PairBookingPage = lazy(() =>
  import('../features/pair-booking/components/pair-booking-page').then((m) => ({ default: m.PairBookingPage })),
);
const PairPage = lazy(() =>
  import('../features/pair-booking/components/pair-page').then((m) => ({ default: m.PairPage })),
);
const CourseRoute = lazy(() => import('./course-route').then((m) => ({ default: m.CourseRoute })));
const WaitlistJoin = lazy(() =>
  import('../features/waitlist/components/waitlist-join').then((m) => ({ default: m.WaitlistJoin })),
);
const SelfCheckPage = lazy(() =>
  import('../features/self-check/components/self-check-page').then((m) => ({ default: m.SelfCheckPage })),
);
const CareAlertsPage = lazy(() =>
  import('../features/aftercare/components/care-alerts-page').then((m) => ({ default: m.CareAlertsPage })),
);

/** The session's focus, for a signed-in client: chosen from the places marked in their consultation. */
function useFocusChoice(enabled: boolean) {
  const intake = useMyIntake(enabled);
  const [focus, setFocus] = useState<string[] | null>(null);
  const marked = intake.data?.intake.bodyMap.map((e) => e.region) ?? [];
  return { focus, picker: <FocusPicker marked={marked} value={focus} onChange={setFocus} /> };
}

/**
 * Search is open to everyone; picking a time holds it for a signed-in client. A visitor is asked to sign in, and a
 * client without a consultation to complete it, with the time kept in the address of the page that will hold it
 * (`/hold`, app/pending-hold.tsx). A refused hold says why in plain words, with the next step (a doctor, other
 * focus areas).
 */
function SearchRoute() {
  const me = useCurrentUser();
  const hold = useHold();
  const isClient = me.data?.role === 'client';
  const { focus, picker } = useFocusChoice(isClient);
  // The places a self-check marked (search's `focus`): the session's focus unless a client chose one.
  const carried = focusOfSearch(useLocation().search);
  const onPick = async (pick: SlotPick) => {
    const user = me.data;
    const slot = {
      therapistId: pick.therapistId,
      durationMin: pick.durationMin,
      start: pick.start,
      zone: pick.zone,
      place: pick.place,
      focusRegions: focus ?? carried,
    };
    if (!user) {
      navigate(withQuery('/sign-in', { next: pendingSlotPath(slot) }));
      return;
    }
    if (user.role !== 'client') {
      throw new ApiError({
        type: 'about:blank',
        title: 'Only clients book sessions',
        status: 403,
        detail: 'Sign in with a client account to book.',
        code: 'forbidden',
      });
    }
    await holdOrConsultFirst(hold.mutateAsync, slot);
  };
  return (
    <SearchPage
      onPick={onPick}
      renderPickError={(error) => <BookingProblem error={error} />}
      aside={isClient ? picker : carried ? <CarriedFocus refs={carried} /> : null}
      renderCardExtra={(therapist) => (
        <Suspense fallback={null}>
          <TherapistPackagesLink therapist={therapist} />
        </Suspense>
      )}
      renderNoTimeSuits={
        isClient
          ? (search, radiusKm) => (
              <Suspense fallback={null}>
                <WaitlistJoin
                  key={`${search.from}:${search.to}:${search.lat}:${search.lng}:${search.durationMin}`}
                  criteria={{
                    durationMin: search.durationMin,
                    mode: search.mode,
                    lat: search.lat,
                    lng: search.lng,
                    radiusKm,
                    ...(search.mode === 'home' && search.address ? { address: search.address } : {}),
                    ...(search.gender ? { gender: search.gender } : {}),
                    ...(search.specialty ? { specialty: search.specialty } : {}),
                    from: search.from,
                    to: search.to,
                  }}
                />
              </Suspense>
            )
          : undefined
      }
    />
  );
}

/** The places a visitor marked in the self-check, which the time they tap will carry to the therapist. */
function CarriedFocus({ refs }: { refs: string[] }) {
  return (
    <section className="card stack" aria-labelledby="carried-focus-heading">
      <h2 id="carried-focus-heading">From your self-check</h2>
      <p>The session will focus on the places you marked; you can change them in your consultation.</p>
      <ul>
        {refs.map((ref) => (
          <li key={ref}>{regionRefLabel(ref)}</li>
        ))}
      </ul>
    </section>
  );
}

/** The public profile, told who is looking: the therapist replies to reviews there, an operator hides one. */
function TherapistProfileRoute({ id }: { id: string }) {
  const me = useCurrentUser();
  if (me.isLoading) return <Loading />;
  return (
    <TherapistProfilePage
      id={id}
      viewer={me.data ? { id: me.data.id, role: me.data.role } : null}
      renderTimes={(profile) => <ProfileTimes profile={profile} />}
    />
  );
}

function RescheduleRoute({ id }: { id: string }) {
  const booking = useBooking(id);
  const reschedule = useReschedule();
  if (booking.isLoading) return <Loading />;
  if (booking.error || !booking.data) return <ErrorNotice error={booking.error} />;
  const b = booking.data;
  return (
    <div className="narrow stack">
      <PageHeader title="Reschedule" />
      <RescheduleIntro booking={b} />
      {b.allowedActions.includes('reschedule') ? (
        <section className="stack" aria-labelledby="new-time-heading">
          <h2 id="new-time-heading">Pick a new time with {b.therapist.displayName}</h2>
          <TherapistSlotPicker
            therapistId={b.therapist.id}
            therapistName={b.therapist.displayName}
            durationMin={b.durationMin as 60 | 90 | 120}
            place={{ mode: b.mode, studioId: b.studio?.id ?? null, lat: b.lat, lng: b.lng }}
            onPick={async (start) => {
              const moved = await reschedule.mutateAsync({ id, start });
              navigate(`/bookings/${moved.id}?moved=1`);
            }}
            renderPickError={(error) => <BookingProblem error={error} />}
          />
        </section>
      ) : (
        <EmptyState title="This booking can no longer be moved.">
          <Link to="/bookings">Back to my bookings</Link>
        </EmptyState>
      )}
    </div>
  );
}

/** During a session the client opens the live panel; under a past session, they read its record and rate it. */
const sessionAfterwards = (booking: Booking) => (
  <>
    {booking.status === 'checked_in' && (
      <p className="notice notice-info">
        Your session has started. <Link to={`/live/${booking.id}`}>Open live feedback</Link> to tell{' '}
        {booking.therapist.displayName} how the pressure feels.
      </p>
    )}
    {(booking.status === 'completed' || booking.status === 'checked_in') && (
      <Suspense fallback={null}>
        <ClientSessionRecord bookingId={booking.id} therapistName={booking.therapist.displayName} />
      </Suspense>
    )}
    {(booking.status === 'completed' || booking.status === 'checked_in' || booking.status === 'no_show') && (
      <p>
        <Link to={`/bookings/${booking.id}/report`}>
          Report a problem with this session, or block {booking.therapist.displayName}
        </Link>
      </p>
    )}
  </>
);

/** The live screen and the incident form differ by side: the client's phone panel or the therapist's view. */
function PartyRoute({ render }: { render: (role: 'client' | 'therapist') => ReactNode }) {
  const me = useCurrentUser();
  if (!me.data) return <Loading />;
  return <>{render(me.data.role === 'client' ? 'client' : 'therapist')}</>;
}

/** The signed-in client's own pages take their id from the session. */
function OwnClientRoute({ render }: { render: (clientId: string) => ReactNode }) {
  const me = useCurrentUser();
  return me.data ? <>{render(me.data.id)}</> : <Loading />;
}

/** A therapist keeps their own treatment plan with the client on the client's progress page. */
function TherapistClientRoute({ clientId }: { clientId: string }) {
  const me = useCurrentUser();
  const profile = useOwnTherapistProfile();
  if (!me.data || profile.isLoading) return <Loading />;
  return (
    <ProgressPage clientId={clientId} therapist={{ id: me.data.id, zone: profile.data?.timeZone ?? browserZone() }} />
  );
}

/** A client manages their own booking; its therapist and operators see the session, its screening and clearance. */
function BookingRoute({ id, moved }: { id: string; moved: boolean }) {
  const me = useCurrentUser();
  if (me.data?.role !== 'client') {
    return (
      <>
        <StaffBookingPage id={id} />
        <div className="narrow">
          <BookingIncidents bookingId={id} />
        </div>
      </>
    );
  }
  return (
    <BookingPage
      id={id}
      notice={moved ? 'Your booking moved to the new time.' : undefined}
      after={sessionAfterwards}
      payAhead={(booking) => (
        <Suspense fallback={null}>
          <TherapistPackagesLink therapist={booking.therapist} next={`/bookings/${booking.id}`} />
        </Suspense>
      )}
    />
  );
}

/** Only the booked therapist may override a caution; operators read the same brief. */
function BriefRoute({ id }: { id: string }) {
  const me = useCurrentUser();
  return <BriefPage id={id} canOverride={me.data?.role === 'therapist'} />;
}

/** On a page on the way to holding a tapped time (its `?next=` is the hold), the sentence that says so. */
function pendingIntro(location: Location, say: (when: string, therapist: string) => string, more?: string) {
  const slot = pendingSlotOfNext(location.search.get('next'));
  if (!slot) return undefined;
  return (
    <PendingSlotNotice slot={slot} say={say}>
      {more && <p>{more}</p>}
    </PendingSlotNotice>
  );
}

export interface RouteDef {
  path: string;
  /** Who may open it; 'guest' pages send a signed-in user on. Absent: everyone. */
  access?: Role[] | 'guest';
  render: (params: Record<string, string>, location: Location) => ReactNode;
}

export const ROUTES: RouteDef[] = [
  { path: '/', render: () => <HomePage /> },
  {
    path: '/sign-in',
    access: 'guest',
    render: (_p, l) => (
      <SignInPage
        next={l.search.get('next') ?? undefined}
        intro={pendingIntro(l, (when, who) => `Sign in to hold ${when} with ${who}.`)}
      />
    ),
  },
  { path: '/sign-in/link', render: () => <SignInLinkPage /> },
  { path: '/forgot-password', access: 'guest', render: () => <ForgotPasswordPage /> },
  { path: '/reset-password', render: () => <ResetPasswordPage /> },
  { path: '/verify-email', render: () => <VerifyEmailPage /> },
  {
    path: '/sign-up',
    access: 'guest',
    render: (_p, l) => (
      <SignUpPage
        initialRole={l.search.get('role') === 'therapist' ? 'therapist' : 'client'}
        next={l.search.get('next') ?? undefined}
        intro={pendingIntro(
          l,
          (when, who) => `Create your account to hold ${when} with ${who}.`,
          'Then a short health consultation (about five minutes), and we hold the time for you.',
        )}
      />
    ),
  },
  { path: '/search', render: () => <SearchRoute /> },
  { path: '/self-check', render: () => <SelfCheckPage /> },
  { path: '/therapists/:id', render: (p) => <TherapistProfileRoute id={p.id!} /> },
  { path: '/hold', access: ['client'], render: (_p, l) => <HoldRoute location={l} /> },
  { path: '/bookings', access: ['client'], render: () => <MyBookingsPage /> },
  { path: '/book-for-two', access: ['client'], render: () => <PairBookingPage /> },
  { path: '/book-for-two/:id', access: ['client', 'operator'], render: (p) => <PairPage id={p.id!} /> },
  { path: '/courses/new', access: ['client'], render: (_p, l) => <CourseRoute location={l} /> },
  { path: '/waitlist', access: ['client'], render: () => <MyWaitlistPage /> },
  {
    path: '/bookings/:id',
    access: ['client', 'therapist', 'operator'],
    render: (p, l) => <BookingRoute id={p.id!} moved={l.search.has('moved')} />,
  },
  { path: '/briefs/:id', access: ['therapist', 'operator'], render: (p) => <BriefRoute id={p.id!} /> },
  {
    path: '/live/:id',
    access: ['client', 'therapist'],
    render: (p) => <PartyRoute render={(role) => <LivePage id={p.id!} role={role} />} />,
  },
  {
    path: '/bookings/:id/report',
    access: ['client', 'therapist'],
    render: (p) => <PartyRoute render={(role) => <IncidentReportPage id={p.id!} role={role} />} />,
  },
  { path: '/bookings/:id/reschedule', access: ['client'], render: (p) => <RescheduleRoute id={p.id!} /> },
  {
    path: '/bookings/:id/aftercare',
    access: ['client', 'therapist', 'operator'],
    render: (p) => <ClientAftercarePage bookingId={p.id!} />,
  },
  { path: '/aftercare', access: ['client'], render: () => <MyAftercarePage /> },
  {
    path: '/packages',
    access: ['client'],
    render: (_p, l) => <MyPackagesPage bought={l.search.get('bought') ?? undefined} />,
  },
  {
    path: '/packages/buy',
    access: ['client'],
    render: (_p, l) => (
      <BuyPackagePage therapistId={l.search.get('therapist') ?? undefined} next={l.search.get('next') ?? undefined} />
    ),
  },
  {
    path: '/memberships',
    access: ['client'],
    render: (_p, l) => <MembershipsPage therapistId={l.search.get('therapist') ?? undefined} />,
  },
  { path: '/gift-cards/buy', access: ['client'], render: () => <BuyGiftCardPage /> },
  { path: '/gift-cards/balance', render: () => <GiftCardBalancePage /> },
  { path: '/check-ins/:id', access: ['client'], render: (p) => <CheckInPage id={p.id!} /> },
  { path: '/care-alerts', access: ['therapist', 'operator'], render: () => <CareAlertsPage /> },
  {
    path: '/therapist/sessions/:id/aftercare',
    access: ['therapist'],
    render: (p) => <AftercareEditorPage bookingId={p.id!} />,
  },
  {
    path: '/consultation',
    access: ['client'],
    render: (_p, l) => (
      <ConsultationPage
        next={l.search.get('next') ?? undefined}
        saved={l.search.has('saved')}
        intro={pendingIntro(l, (when, who) => `Complete your consultation, then we’ll hold ${when} with ${who}.`)}
        continueAtOnce={pendingSlotOfNext(l.search.get('next')) !== null}
        prefill={consultationPrefill(pendingSlotOfNext(l.search.get('next'))?.focusRegions ?? null)}
      />
    ),
  },
  {
    path: '/consultation/edit',
    access: ['client'],
    render: (_p, l) => <ConsultationEditPage next={l.search.get('next') ?? undefined} />,
  },
  { path: '/account', access: ['client', 'therapist'], render: () => <AccountPage /> },
  {
    path: '/progress',
    access: ['client'],
    render: () => <OwnClientRoute render={(id) => <ProgressPage clientId={id} />} />,
  },
  {
    path: '/progress/questionnaires',
    access: ['client'],
    render: () => <OwnClientRoute render={(id) => <QuestionnairesPage clientId={id} />} />,
  },
  { path: '/messages', access: ['client', 'therapist', 'operator'], render: () => <MessagesPage /> },
  { path: '/payments', access: ['client'], render: () => <PaymentsPage /> },
  { path: '/therapist/setup', access: ['therapist'], render: () => <SetupPage /> },
  { path: '/therapist/hours', access: ['therapist'], render: () => <HoursPage /> },
  { path: '/therapist/schedule', access: ['therapist'], render: () => <SchedulePage /> },
  { path: '/therapist/sessions/:id', access: ['therapist'], render: (p) => <SessionPage id={p.id!} /> },
  {
    path: '/therapist/clients/:clientId',
    access: ['therapist'],
    render: (p) => <TherapistClientRoute clientId={p.clientId!} />,
  },
  { path: '/therapist/outcomes', access: ['therapist'], render: () => <OutcomesPage /> },
  { path: '/operator/licences', access: ['operator'], render: () => <LicencesPage /> },
  { path: '/operator/money', access: ['operator'], render: () => <MoneyPage /> },
  { path: '/therapist/earnings', access: ['therapist'], render: () => <EarningsPage /> },
  { path: '/operator/bookings', access: ['operator'], render: () => <AllBookingsPage /> },
  { path: '/operator/outcomes', access: ['operator'], render: () => <OutcomesPage /> },
  { path: '/operator/screenings', access: ['operator'], render: () => <FlaggedScreeningsPage /> },
  { path: '/operator/incidents', access: ['operator'], render: () => <IncidentQueuePage /> },
  { path: '/operator/dead-letters', access: ['operator'], render: () => <DeadLettersPage /> },
];
