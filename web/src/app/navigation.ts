import type { Role } from '../shared/lib/api-types';

export interface NavItem {
  to: string;
  label: string;
}

/**
 * What each role sees in the header. Screens that arrive with later capabilities slot in here: the client's
 * consultation and screening result, the therapist's pre-session briefs, the operator's flagged screenings.
 */
export const NAVIGATION: Record<Role, NavItem[]> = {
  client: [
    { to: '/search', label: 'Find a therapist' },
    { to: '/bookings', label: 'My bookings' },
    { to: '/progress', label: 'Progress' },
    { to: '/messages', label: 'Messages' },
  ],
  therapist: [
    { to: '/therapist/schedule', label: 'Schedule' },
    { to: '/therapist/hours', label: 'Hours' },
    { to: '/therapist/outcomes', label: 'Outcomes' },
    { to: '/therapist/setup', label: 'Practice' },
    { to: '/messages', label: 'Messages' },
  ],
  operator: [
    { to: '/operator/licences', label: 'Licences' },
    { to: '/operator/bookings', label: 'Bookings' },
    { to: '/operator/outcomes', label: 'Outcomes' },
  ],
};

/** Where each role lands after signing in. */
export const HOME: Record<Role, string> = {
  client: '/search',
  therapist: '/therapist/schedule',
  operator: '/operator/licences',
};
