/**
 * The API's request and response shapes, named for the screens. All come from ./api-schema.d.ts, which
 * `npm run api-schema` generates from the server's OpenAPI description (the web imports no server code for them),
 * so a change on the server that breaks a screen fails `npm test`'s typecheck once the schema is regenerated, and
 * test/api/api-schema.test.ts fails while it is not.
 */
import type { components, paths } from './api-schema';

type Schemas = components['schemas'];
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The JSON body an operation takes (its input form: fields with a default are optional). */
type RequestBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;
/** The JSON body an operation answers with on success. */
type ResponseBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? { [S in keyof R & (200 | 201)]: Json<R[S]> }[keyof R & (200 | 201)]
    : never;

export type User = Schemas['User'];
/** A market as GET /api/markets tells it, with the neighbourhoods picked from (Knotwork has no geocoder). */
export type Market = Schemas['Market'];
export type Neighbourhood = Market['neighbourhoods'][number];
export type Role = User['role'];
export type Booking = Schemas['Booking'];
export type WaitlistEntry = Schemas['WaitlistEntry'];
export type BookingStatus = Booking['status'];
export type BookingPage = ResponseBody<'/api/bookings', 'get'>;
export type CancellationQuote = ResponseBody<'/api/bookings/{id}/cancellation-quote', 'get'>;
export type AvailabilityPage = Schemas['AvailabilityPage'];
export type AvailabilityResult = AvailabilityPage['results'][number];
export type TherapistProfile = Schemas['TherapistProfile'];
export type ProfileInput = RequestBody<'/api/therapists/me', 'put'>;
export type StudioInput = RequestBody<'/api/therapists/me/studios', 'post'>;
export type WeeklyHoursRule = TherapistProfile['weeklyHours'][number];
export type OverrideInput = RequestBody<'/api/therapists/me/overrides', 'post'>;
export type Override = Schemas['ScheduleOverride'];
export type WorkingTime = Schemas['WorkingTime'];
export type WorkingDay = WorkingTime['days'][number];
export type WorkingInterval = WorkingDay['working'][number];
export type LicenceRow = ResponseBody<'/api/operator/licences', 'get'>[number];
export type DeadLetter = ResponseBody<'/api/operator/dead-letters', 'get'>[number];
export type Message = Schemas['Message'];
export type Attendance = Schemas['SessionAttendance'];
/** A note as stored: its status, its current content, amendments and what went beyond the screening. */
export type StoredNote = Schemas['SessionNote'];
/** A note's content (the template's sections, regions and measurements). */
export type SessionNote = StoredNote['current']['note'];
export type NoteDraft = Schemas['NoteDraft'];
export type NoteDraftInput = RequestBody<'/api/bookings/{id}/note', 'put'>;
export type AmendmentInput = RequestBody<'/api/bookings/{id}/note/amendments', 'post'>;
export type SessionRecord = Schemas['SessionRecord'];
export type RegionLimit = Schemas['RegionLimit'];
export type PainReport = Schemas['PainReport'];
export type OutcomeCatalogue = Schemas['OutcomeCatalogue'];
export type OutcomeSubmission = RequestBody<'/api/clients/{clientId}/outcomes', 'post'>;
export type ClientProgress = Schemas['ClientProgress'];
export type ProgressSeries = Schemas['ProgressSeries'];
export type ImprovementShare = Schemas['ImprovementShare'];
export type TreatmentPlan = Schemas['TreatmentPlan'];
export type TreatmentPlanInput = RequestBody<'/api/clients/{clientId}/treatment-plan', 'put'>;
export type RatingStatus = Schemas['SessionRatingStatus'];
export type RatingInput = RequestBody<'/api/bookings/{id}/rating', 'post'>;
export type Review = Schemas['Review'];
export type ReviewPage = Schemas['ReviewPage'];
// Payments and receipts.
export type Payment = Schemas['ClientPayment'];
export type PaymentsPage = ResponseBody<'/api/me/payments', 'get'>;
export type IntakeInput = Schemas['IntakeInput'];
export type Conditions = IntakeInput['conditions'];
export type IntakeVersion = Schemas['IntakeVersion'];
export type ClientScreening = Schemas['ClientScreening'];
export type ScreeningFlag = Schemas['ScreeningFlag'];
export type ScreeningOutcome = ClientScreening['outcome'];
export type BookingScreening = Schemas['BookingScreening'];
export type ClearanceDocument = Schemas['ClearanceDocument'];
export type Brief = Schemas['PreSessionBrief'];
export type FlaggedScreeningPage = ResponseBody<'/api/operator/screenings', 'get'>;
export type FlaggedScreening = Schemas['FlaggedScreening'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type NewCalendarFeed = Schemas['NewCalendarFeed'];
export type ExternalCalendar = Schemas['ExternalCalendar'];
export type LiveSignal = Schemas['LiveSignal'];
export type LiveSeries = Schemas['LiveSeries'];
export type LiveRegionSummary = Schemas['LiveRegionSummary'];
export type Incident = Schemas['Incident'];
export type IncidentInput = RequestBody<'/api/bookings/{id}/incidents', 'post'>;
export type IncidentMove = RequestBody<'/api/operator/incidents/{incidentId}/transitions', 'post'>;
/** PUT /api/me/intake answers with the saved version and the screening it leads to today. */
export type SavedIntake = ResponseBody<'/api/me/intake', 'put'>;
/** GET /api/me/screening. */
export type MyScreening = ResponseBody<'/api/me/screening', 'get'>;
export type Aftercare = Schemas['Aftercare'];
export type AftercarePlan = Aftercare['plan'];
export type AftercareItem = AftercarePlan['sections'][number]['items'][number];
export type ExerciseCatalogue = Schemas['ExerciseCatalogue'];
export type CheckIn = Schemas['CheckIn'];
export type CheckInAnswer = RequestBody<'/api/check-ins/{id}/answer', 'post'>;
export type CareAlert = Schemas['CareAlert'];

/**
 * The frames the live channel's server sends (GET /api/bookings/{id}/live, a WebSocket: OpenAPI does not describe
 * its frames, so they are written here from the described parts; `ServerFrame` in src/live/engine/live-messages.ts
 * is the server's side, and web/src/features/live/lib/live-frames.test.ts keeps the two the same).
 */
export type LiveServerFrame =
  /** `limits` (the therapist's only): the regions the booking's screening caps or excludes, for the live controls. */
  | { type: 'ready'; bookingId: string; role: 'client' | 'therapist'; latestSeq: number; limits?: RegionLimit[] }
  | { type: 'signal'; signal: LiveSignal }
  | { type: 'ack'; clientMessageId: string; seq: number; duplicate: boolean }
  | { type: 'replayed'; fromSeq: number; toSeq: number }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; field?: string; clientMessageId?: string }
  | { type: 'ended'; reason: 'checked_out' | 'signed_out' };

// Earnings, the operator's money view and payouts.
export type Earnings = Schemas['Earnings'];
export type EarningsLine = Earnings['lines'][number];
export type Payout = Schemas['Payout'];
export type OperatorMoney = Schemas['OperatorMoney'];
export type MarketMoney = Schemas['MarketMoney'];
export type MarketMoneyInput = RequestBody<'/api/operator/markets/{market}/money', 'put'>;
export type PayoutInput = RequestBody<'/api/operator/payouts', 'post'>;
// Tips.
export type SessionTip = Schemas['SessionTip'];
export type TipInput = RequestBody<'/api/bookings/{id}/tip', 'put'>;
/** Packages and membership months a client holds (GET /api/me/packages), and a gift card's balance. */
export type PackageCredits = ResponseBody<'/api/me/packages', 'get'>['items'][number];
export type GiftCardBalance = ResponseBody<'/api/gift-cards/{code}/balance', 'get'>;
/** What is on offer ahead of sessions: packages, monthly plans; a client's memberships; a gift card bought. */
export type PackageOffer = ResponseBody<'/api/package-offers', 'get'>['items'][number];
export type MembershipPlan = ResponseBody<'/api/membership-plans', 'get'>['items'][number];
export type Membership = ResponseBody<'/api/me/memberships', 'get'>['items'][number];
export type GiftCardInput = RequestBody<'/api/gift-cards', 'post'>;
export type GiftCardBought = ResponseBody<'/api/gift-cards', 'post'>;
/** A saved card (brand, last four, expiry; never its number). */
export type PaymentMethod = Schemas['PaymentMethod'];
/** What the test processor's hosted tokenisation answers for a card. */
export type CardToken = ResponseBody<'/test-processor/v1/payment-methods', 'post'>;
/** A booking's total as lines, whether a card is needed, and its payment once there is one. */
export type BookingCheckout = Schemas['BookingCheckout'];
export type AccountSettings = Schemas['AccountSettings'];
/** What erasing the client's health information deletes at once and what it keeps. */
export type HealthDataErasurePlan = Schemas['HealthDataErasurePlan'];
/** What erasure deleted (counts per kind) and what it kept. */
export type HealthDataErasure = ResponseBody<'/api/me/health-data', 'delete'>;
/** A course of weekly sessions, previewed or held (POST /api/bookings/courses[/preview]). */
export type BookingCourse = Schemas['BookingCourse'];
export type BookingCourseInput = RequestBody<'/api/bookings/courses', 'post'>;
/** The self-check a visitor answers (POST /api/self-check), and what it answers. */
export type SelfCheckInput = RequestBody<'/api/self-check', 'post'>;
export type SelfCheckResult = Schemas['SelfCheckResult'];
