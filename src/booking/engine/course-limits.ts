/**
 * A course's limits, apart from the recurrence itself (course-recurrence.ts), so the routes' schemas can name them
 * without loading the `rrule` package at start-up.
 */

/** At most this many sessions in one course. */
export const MAX_COURSE_SESSIONS = 12;
