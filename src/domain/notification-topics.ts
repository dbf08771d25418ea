/**
 * Which e-mails a person may turn off, shared by the server (accounts stores the choice, notify's delivery honours
 * it) and the web app (the settings screen). Every message has a dotted kind (`booking.reminder`); a topic groups
 * the kinds a person thinks of as one thing. Only the kinds listed here can be turned off: every other kind is
 * always e-mailed, for the reasons in ALWAYS_SENT. A message of a turned-off kind is still written and stays in the
 * person's Knotwork inbox; it is just not e-mailed.
 */
export const NOTIFICATION_TOPICS = {
  booking_reminders: {
    label: 'Session reminders',
    description: 'A reminder the day before each session.',
    kinds: ['booking.reminder'],
  },
  check_in_invitations: {
    label: 'Aftercare check-ins',
    description:
      'The e-mails after a session asking how you feel, and their reminder. The check-ins still open in Knotwork.',
    kinds: ['check_in.open', 'check_in.reminder'],
  },
  rating_requests: {
    label: 'Requests to rate a session',
    description: 'After a session, an e-mail asking how it was.',
    kinds: ['session.rate'],
  },
} as const satisfies Record<string, { label: string; description: string; kinds: readonly string[] }>;

export type NotificationTopic = keyof typeof NOTIFICATION_TOPICS;

export const NOTIFICATION_TOPIC_IDS = Object.keys(NOTIFICATION_TOPICS) as NotificationTopic[];

/** The e-mails that cannot be turned off, and why: the settings screen shows them. */
export const ALWAYS_SENT: readonly { label: string; why: string }[] = [
  {
    label: 'Safety and care alerts',
    why: 'Screening changes, clearances, incidents, overdue check-outs and care alerts can concern your health.',
  },
  {
    label: 'Bookings: confirmations, changes, cancellations and no-shows',
    why: 'They change when you are expected and what you may be charged.',
  },
  {
    label: 'Receipts and payments',
    why: 'A receipt is your record of every charge and refund, and a failed payment needs you to act.',
  },
  {
    label: 'Account security',
    why: 'Sign-in and password links, and notices that your e-mail or password changed, protect your account.',
  },
];
