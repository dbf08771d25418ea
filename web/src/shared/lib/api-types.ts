/**
 * The API's request and response shapes, taken from the server's own zod schemas (types only: nothing of the
 * server is bundled), so a change on the server that breaks a screen fails `npm test`'s typecheck.
 */
import type { z } from 'zod';
import type { userSchema } from '../../../../src/accounts/account-routes';
import type { aftercareSchema, exerciseCatalogueSchema } from '../../../../src/aftercare/aftercare-routes';
import type { careAlertSchema } from '../../../../src/aftercare/care-alert-routes';
import type { checkInAnswerBody, checkInSchema } from '../../../../src/aftercare/check-in-routes';
import type { AftercarePlan as Plan } from '../../../../src/care/engine/aftercare-plan';
import type { RegionLimitView } from '../../../../src/care/engine/region-limits';
import type { availabilityPage } from '../../../../src/availability/availability-routes';
import type { workingTimeSchema } from '../../../../src/availability/working-time-routes';
import type { bookingPage, cancellationQuote } from '../../../../src/booking/booking-routes';
import type { BookingView } from '../../../../src/booking/booking-view';
import type { feedSchema, newFeedSchema } from '../../../../src/calendar/calendar-feed-routes';
import type { intakeVersionSchema } from '../../../../src/intake/intake-routes';
import type { intakeSchema } from '../../../../src/intake/engine/intake-schema';
import type { briefSchema } from '../../../../src/intake/engine/pre-session-brief';
import type { incidentBody, incidentMoveBody } from '../../../../src/live/incident-routes';
import type { incidentSchema } from '../../../../src/live/incident-store';
import type { LiveSignal as Signal, ServerFrame as Frame } from '../../../../src/live/engine/live-messages';
import type { liveSeriesSchema, regionSummarySchema } from '../../../../src/live/engine/live-views';

import type { messageSchema } from '../../../../src/notify/message-routes';
import type { catalogueSchema, improvementShareSchema, progressSchema, submissionBody } from '../../../../src/outcomes/outcome-routes';
import type { SessionNote as Note } from '../../../../src/care/engine/session-note';
import type { ratingBody, ratingStatusSchema } from '../../../../src/ratings/rating-routes';
import type { AttendanceView } from '../../../../src/records/attendance-routes';
import type { amendmentBody, draftBody, draftSchema, sessionRecordSchema } from '../../../../src/records/note-routes';
import type { NoteView } from '../../../../src/records/session-notes';
import type { planSchema } from '../../../../src/records/treatment-plan-routes';
import type { TreatmentPlanBody } from '../../../../src/records/engine/treatment-plan-schema';
import type { flaggedScreeningPage } from '../../../../src/screening/flagged-screenings-routes';
import type { bookingScreeningSchema } from '../../../../src/screening/screening-routes';
import type { clientScreeningSchema, documentSchema, flagSchema, screeningDecisionSchema } from '../../../../src/screening/engine/screening-views';
import type { licenceRowSchema } from '../../../../src/therapists/licence-review-routes';
import type { TherapistProfile as Profile } from '../../../../src/therapists/therapist-profile';
import type { profileBody, studioBody } from '../../../../src/therapists/therapist-profile-routes';
import type { overrideBody, overrideSchema } from '../../../../src/therapists/therapist-schedule-routes';
import type { WeeklyHoursRule as Rule } from '../../../../src/therapists/engine/therapist-schemas';

export type User = z.infer<typeof userSchema>;
export type Role = User['role'];
export type Booking = BookingView;
export type BookingStatus = Booking['status'];
export type BookingPage = z.infer<typeof bookingPage>;
export type CancellationQuote = z.infer<typeof cancellationQuote>;
export type AvailabilityPage = z.infer<typeof availabilityPage>;
export type AvailabilityResult = AvailabilityPage['results'][number];
export type TherapistProfile = Profile;
export type ProfileInput = z.input<typeof profileBody>;
export type StudioInput = z.input<typeof studioBody>;
export type WeeklyHoursRule = Rule;
export type OverrideInput = z.input<typeof overrideBody>;
export type Override = z.infer<typeof overrideSchema>;
export type WorkingTime = z.infer<typeof workingTimeSchema>;
export type WorkingDay = WorkingTime['days'][number];
export type WorkingInterval = WorkingDay['working'][number];
export type LicenceRow = z.infer<typeof licenceRowSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Attendance = AttendanceView;
export type SessionNote = Note;
export type StoredNote = NoteView;
export type NoteDraft = z.infer<typeof draftSchema>;
export type NoteDraftInput = z.input<typeof draftBody>;
export type AmendmentInput = z.input<typeof amendmentBody>;
export type SessionRecord = z.infer<typeof sessionRecordSchema>;
export type RegionLimit = RegionLimitView;
export type PainReport = SessionRecord['painReports'][number];
export type OutcomeCatalogue = z.infer<typeof catalogueSchema>;
export type OutcomeSubmission = z.input<typeof submissionBody>;
export type ClientProgress = z.infer<typeof progressSchema>;
export type ProgressSeries = ClientProgress['series'][number];
export type ImprovementShare = z.infer<typeof improvementShareSchema>;
export type TreatmentPlan = z.infer<typeof planSchema>;
export type TreatmentPlanInput = TreatmentPlanBody;
export type RatingStatus = z.infer<typeof ratingStatusSchema>;
export type RatingInput = z.input<typeof ratingBody>;
export type IntakeInput = z.input<typeof intakeSchema>;
export type Conditions = IntakeInput['conditions'];
export type IntakeVersion = z.infer<typeof intakeVersionSchema>;
export type ClientScreening = z.infer<typeof clientScreeningSchema>;
export type ScreeningDecision = z.infer<typeof screeningDecisionSchema>;
export type ScreeningFlag = z.infer<typeof flagSchema>;
export type ScreeningOutcome = ClientScreening['outcome'];
export type BookingScreening = z.infer<typeof bookingScreeningSchema>;
export type ClearanceDocument = z.infer<typeof documentSchema>;
export type Brief = z.infer<typeof briefSchema>;
export type FlaggedScreeningPage = z.infer<typeof flaggedScreeningPage>;
export type FlaggedScreening = FlaggedScreeningPage['items'][number];
export type CalendarFeed = z.infer<typeof feedSchema>;
export type LiveSignal = Signal;
export type LiveServerFrame = Frame;
export type LiveSeries = z.infer<typeof liveSeriesSchema>;
export type LiveRegionSummary = z.infer<typeof regionSummarySchema>;
export type Incident = z.infer<typeof incidentSchema>;
export type IncidentInput = z.input<typeof incidentBody>;
export type IncidentMove = z.input<typeof incidentMoveBody>;
export type NewCalendarFeed = z.infer<typeof newFeedSchema>;
/** PUT /api/me/intake answers with the saved version and the screening it leads to today. */
export interface SavedIntake {
  version: IntakeVersion;
  preview: ClientScreening;
  rescreened: { bookingId: string; from: ScreeningOutcome | null; to: ScreeningOutcome }[];
}
/** GET /api/me/screening. */
export interface MyScreening {
  intakeVersion: number;
  date: string;
  forClient: ClientScreening;
  decision: ScreeningDecision;
}
export type Aftercare = z.infer<typeof aftercareSchema>;
export type AftercarePlan = Plan;
export type AftercareItem = Plan['sections'][number]['items'][number];
export type ExerciseCatalogue = z.infer<typeof exerciseCatalogueSchema>;
export type CheckIn = z.infer<typeof checkInSchema>;
export type CheckInAnswer = z.input<typeof checkInAnswerBody>;
export type CareAlert = z.infer<typeof careAlertSchema>;
