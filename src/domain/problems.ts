/**
 * Every error Knotwork returns, defined once: a stable code, its HTTP status and a title. Routes throw
 * `ProblemError`s; src/http/error-handler.ts turns them (and validation and database errors) into RFC 9457
 * application/problem+json. Codes are part of the API: never rename one, add a new one.
 */
export const PROBLEMS = {
  validation_failed: { status: 400, title: 'The request has invalid fields' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  malformed_url: { status: 400, title: 'The address has a malformed percent-encoding' },
  uri_too_long: { status: 414, title: 'A part of the address is too long' },
  unauthenticated: { status: 401, title: 'Sign in first' },
  invalid_credentials: { status: 401, title: 'E-mail or password is wrong' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  cross_origin_refused: { status: 403, title: 'Requests that change data must come from this site' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  email_taken: { status: 409, title: 'An account with this e-mail already exists' },
  slot_unavailable: { status: 409, title: 'That time is no longer available' },
  waitlist_full: { status: 409, title: 'You wait for as many times as allowed; leave an entry first' },
  waitlist_entry_closed: { status: 409, title: 'This waitlist entry is no longer waiting' },
  course_unavailable: { status: 409, title: 'Some sessions of the course cannot be booked at that time' },
  client_double_booked: { status: 409, title: 'You already have a session at that time' },
  invalid_transition: { status: 409, title: 'The booking cannot change that way from its current state' },
  hold_expired: { status: 409, title: 'The hold on this slot has expired' },
  clearance_too_late: {
    status: 409,
    title: 'The session needs a medical clearance verified at least 24 hours before it starts',
  },
  slot_not_offered: { status: 422, title: 'The therapist does not offer that time' },
  outside_service_area: { status: 422, title: 'The address is outside the therapist’s service area' },
  service_not_offered: { status: 422, title: 'The therapist does not offer that service' },
  therapist_not_bookable: { status: 422, title: 'The therapist cannot be booked' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  profile_incomplete: { status: 422, title: 'The profile is missing information required for this step' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Send application/json' },
  rate_limited: { status: 429, title: 'Too many attempts; wait and try again' },
  sign_in_link_required: {
    status: 429,
    title: 'Too many failed sign-ins to this account; sign in with an e-mailed link',
  },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'The service is not ready' },
  calendar_feed_limit: { status: 409, title: 'You have as many calendar feeds as allowed; revoke one first' },
  external_calendar_limit: { status: 409, title: 'You have as many other calendars as allowed; remove one first' },
  external_calendar_exists: { status: 409, title: 'You have already added this calendar' },
  intake_required: { status: 422, title: 'Complete your consultation first' },
  guest_consultation_required: { status: 422, title: 'Your guest has to fill in their consultation first' },
  guest_screening_refused: { status: 422, title: 'Your guest’s consultation does not allow this session' },
  consent_required: { status: 422, title: 'Consent is needed for this' },
  screening_not_today: { status: 422, title: 'Deep tissue massage is not safe for this session' },
  focus_regions_excluded: { status: 422, title: 'Every area to work on has to be avoided' },
  override_not_allowed: { status: 422, title: 'This flag cannot be overridden' },
  already_overridden: { status: 409, title: 'This flag is already overridden for this booking' },
  unsupported_document_type: { status: 415, title: 'Send a PDF, PNG or JPEG document' },
  unsupported_image_type: { status: 415, title: 'Send a JPEG, PNG, WebP or AVIF photo' },
  already_replied: { status: 409, title: 'You have already replied to this review' },
  already_hidden: { status: 409, title: 'The review is hidden already' },
  already_reviewed: { status: 409, title: 'This document has already been reviewed' },
  check_in_not_cleared: { status: 422, title: 'Screening does not clear this session to start' },
  check_in_not_open: { status: 422, title: 'Check-in is not open now' },
  no_show_too_early: { status: 422, title: 'It is too early to record a no-show' },
  session_not_taken_place: { status: 409, title: 'The session has not taken place' },
  note_signed: { status: 409, title: 'The note is signed; amend it instead' },
  note_not_signed: { status: 409, title: 'Only a signed note can be amended' },
  exceedance_reason_required: { status: 422, title: 'Work beyond the screening limits needs a reason' },
  pain_before_not_reported: { status: 422, title: 'Pain before the session must be what the client reported for it' },
  amendment_changes_nothing: { status: 422, title: 'The amendment changes nothing' },
  questionnaire_incomplete: { status: 422, title: 'Too few answers to score' },
  psfs_activities_changed: {
    status: 422,
    title: 'Rate the same activities as last time, or say that you are changing them',
  },
  already_rated: { status: 409, title: 'You have already rated this session' },
  no_shared_session: { status: 422, title: 'You have not had a session together' },
  live_session_not_open: { status: 409, title: 'The session is not in progress' },
  websocket_required: { status: 426, title: 'Open this address as a WebSocket' },
  incident_transition_not_allowed: {
    status: 409,
    title: 'The incident cannot move to that state from its current one',
  },
  incident_not_reportable: { status: 409, title: 'Incidents can be reported from check-in on' },
  aftercare_sent: { status: 409, title: 'This aftercare has been sent and cannot change' },
  aftercare_plan_invalid: { status: 422, title: 'The aftercare cannot be sent like this' },
  care_check_in_not_open: { status: 409, title: 'This check-in is not open' },
  care_check_in_answered: { status: 409, title: 'This check-in has already been answered' },
  care_alert_acknowledged: { status: 409, title: 'This alert has already been acknowledged' },
  sign_in_link_invalid: { status: 401, title: 'This sign-in link has expired or was already used' },
  payment_method_required: { status: 422, title: 'Choose a card to pay with' },
  payment_method_invalid: { status: 422, title: 'The payment provider does not know this card' },
  payment_declined: { status: 402, title: 'The card was declined' },
  payment_failed: { status: 502, title: 'The payment provider could not complete the payment' },
  webhook_signature_invalid: { status: 400, title: 'The webhook signature does not match' },
  nothing_to_refund: { status: 409, title: 'There is nothing left to refund on this payment' },
  refund_not_supported: { status: 409, title: 'This kind of payment cannot be refunded here' },
  refund_too_large: { status: 422, title: 'The refund is more than what is left to refund' },
  tip_window_closed: { status: 409, title: 'Tips can be given for 72 hours after the session' },
  tip_not_editable: { status: 409, title: 'This tip can no longer be changed' },
  no_package_credit: { status: 409, title: 'There is no package credit left for this session' },
  membership_not_active: { status: 409, title: 'The membership is not active' },
  gift_card_invalid: { status: 422, title: 'This gift card code is not valid' },
  gift_card_empty: { status: 409, title: 'This gift card has no balance left' },
  payout_too_large: { status: 422, title: 'The payout is more than what is owed' },
  superbill_range_invalid: { status: 422, title: 'The superbill’s dates must run forwards and span at most a year' },
  payout_reference_used: { status: 409, title: 'A payout with this reference is recorded already' },
  password_reset_invalid: { status: 410, title: 'This password reset link has expired or was already used' },
  email_change_invalid: { status: 410, title: 'This verification link has expired, was replaced or was already used' },
  current_password_wrong: { status: 403, title: 'The current password is wrong' },
  account_has_upcoming_bookings: { status: 409, title: 'Cancel your upcoming sessions before closing your account' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** One field at fault: a dotted path into the body, query or path parameters, with its own stable code. */
export interface FieldError {
  field: string;
  in: 'body' | 'query' | 'path' | 'header';
  code: string;
  message: string;
}

export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: { errors?: FieldError[]; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail ?? PROBLEMS[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }
}

/** A validation failure on one field, for rules a schema cannot express (for example, an unknown studio id). */
export function fieldProblem(
  field: string,
  code: string,
  message: string,
  where: FieldError['in'] = 'body',
): ProblemError {
  return new ProblemError('validation_failed', message, { errors: [{ field, in: where, code, message }] });
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  field?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export function problemDocument(error: ProblemError, instance?: string): ProblemDocument {
  return {
    ...error.extra,
    type: `/problems#${error.code}`,
    title: PROBLEMS[error.code].title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    code: error.code,
    ...(error.errors.length > 0 ? { field: error.errors[0]!.field, errors: error.errors } : {}),
  };
}
