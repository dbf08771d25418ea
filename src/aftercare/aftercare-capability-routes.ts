import type { App, AppContext } from '../app-context.js';
import { registerAftercareRoutes } from './aftercare-routes.js';
import { registerCareAlertRoutes } from './care-alert-routes.js';
import { registerCheckInRoutes } from './check-in-routes.js';

/** Aftercare, check-ins and care alerts. */
export function registerAftercareCapabilityRoutes(app: App, ctx: AppContext) {
  registerAftercareRoutes(app, ctx);
  registerCheckInRoutes(app, ctx);
  registerCareAlertRoutes(app, ctx);
}
