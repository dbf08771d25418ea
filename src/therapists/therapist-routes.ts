import type { App, AppContext } from '../app-context.js';
import { registerEarningsRoutes } from './earnings-routes.js';
import { registerExternalCalendarRoutes } from './external-calendar-routes.js';
import { registerLicenceReviewRoutes } from './licence-review-routes.js';
import { registerMarketRoutes } from './market-routes.js';
import { registerTherapistPhotoRoutes } from './therapist-photo-routes.js';
import { registerTherapistProfileRoutes } from './therapist-profile-routes.js';
import { registerTherapistScheduleRoutes } from './therapist-schedule-routes.js';

export function registerTherapistRoutes(app: App, ctx: AppContext) {
  registerMarketRoutes(app, ctx);
  registerTherapistProfileRoutes(app, ctx);
  registerTherapistPhotoRoutes(app, ctx);
  registerTherapistScheduleRoutes(app, ctx);
  registerExternalCalendarRoutes(app, ctx);
  registerLicenceReviewRoutes(app, ctx);
  registerEarningsRoutes(app, ctx);
}
