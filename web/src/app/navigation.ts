import type { Role } from '../shared/lib/api-types';

export interface NavItem {
  to: string;
  label: string;
}

/**
 * What each role sees in the header. Screens reached from another screen (a booking, its brief, editing the
 * consultation) have no entry of their own.
 */
export const NAVIGATION: Record<Role, NavItem[]> = {
  client: [
    { to: '/search', label: 'Find a therapist' },
    { to: '/bookings', label: 'My bookings' },
    { to: '/consultation', label: 'Consultation' },
    { to: '/progress', label: 'Progress' },
    { to: '/aftercare', label: 'Aftercare' },
    { to: '/packages', label: 'Packages' },
    { to: '/messages', label: 'Messages' },
    { to: '/payments', label: 'Payments' },
    { to: '/account', label: 'Account' },
  ],
  therapist: [
    { to: '/therapist/schedule', label: 'Schedule' },
    { to: '/therapist/hours', label: 'Hours' },
    { to: '/therapist/earnings', label: 'Earnings' },
    { to: '/therapist/outcomes', label: 'Outcomes' },
    { to: '/care-alerts', label: 'Care alerts' },
    { to: '/therapist/setup', label: 'Practice' },
    { to: '/messages', label: 'Messages' },
    { to: '/account', label: 'Account' },
  ],
  operator: [
    { to: '/operator/licences', label: 'Licences' },
    { to: '/operator/bookings', label: 'Bookings' },
    { to: '/operator/money', label: 'Money' },
    { to: '/operator/outcomes', label: 'Outcomes' },
    { to: '/operator/screenings', label: 'Flagged screenings' },
    { to: '/operator/incidents', label: 'Incidents' },
    { to: '/care-alerts', label: 'Care alerts' },
    { to: '/operator/dead-letters', label: 'Failed work' },
  ],
};

/** Where each role lands after signing in. */
export const HOME: Record<Role, string> = {
  client: '/search',
  therapist: '/therapist/schedule',
  operator: '/operator/licences',
};

/** Where a new account starts: a client with the consultation (booking needs it), a therapist with the set-up. */
export const FIRST_STEP: Record<Role, string> = {
  client: '/consultation',
  therapist: '/therapist/setup',
  operator: HOME.operator,
};
