import type { App, AppContext } from '../app-context.js';
import { registerAttendanceRoutes } from './attendance-routes.js';
import { registerLegalHoldRoutes } from './legal-hold-routes.js';
import { registerNoteRoutes } from './note-routes.js';
import { registerTreatmentPlanRoutes } from './treatment-plan-routes.js';

/** Session records: check-in, check-out and no-show; the session note; treatment plans; the legal-hold read. */
export function registerRecordsRoutes(app: App, ctx: AppContext) {
  registerAttendanceRoutes(app, ctx);
  registerNoteRoutes(app, ctx);
  registerTreatmentPlanRoutes(app, ctx);
  registerLegalHoldRoutes(app, ctx);
}
