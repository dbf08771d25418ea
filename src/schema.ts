import type { AccountTables } from './accounts/account-tables.js';
import type { AftercareTables } from './aftercare/aftercare-tables.js';
import type { BookingTables } from './booking/booking-tables.js';
import type { CalendarTables } from './calendar/calendar-tables.js';
import type { JobTables } from './jobs/job-tables.js';
import type { LiveTables } from './live/live-tables.js';
import type { IntakeTables } from './intake/intake-tables.js';
import type { MoneyTables } from './money/money-tables.js';
import type { MessageTables } from './notify/message-tables.js';
import type { OutcomeTables } from './outcomes/outcome-tables.js';
import type { RatingTables } from './ratings/rating-tables.js';
import type { RecordsTables } from './records/records-tables.js';
import type { ScreeningTables } from './screening/screening-tables.js';
import type { TherapistTables } from './therapists/therapist-tables.js';
import type { WaitlistTables } from './waitlist/waitlist-tables.js';

/** The whole database as Kysely sees it; each capability declares its own tables. */
export interface DB
  extends
    AccountTables,
    MoneyTables,
    TherapistTables,
    BookingTables,
    MessageTables,
    JobTables,
    CalendarTables,
    IntakeTables,
    ScreeningTables,
    RecordsTables,
    OutcomeTables,
    RatingTables,
    LiveTables,
    AftercareTables,
    WaitlistTables {}
