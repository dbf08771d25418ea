import type { App, AppContext } from '../app-context.js';
import { registerCatalogueRoutes } from './catalogue-routes.js';
import { registerClearanceDocumentRoutes } from './clearance-document-routes.js';
import { registerFlaggedScreeningRoutes } from './flagged-screenings-routes.js';
import { registerOverrideRoutes } from './override-routes.js';
import { registerScreeningResultRoutes } from './screening-result-routes.js';

/** Screening's routes, in the order the API description lists them. */
export function registerScreeningRoutes(app: App, ctx: AppContext) {
  registerFlaggedScreeningRoutes(app, ctx);
  registerCatalogueRoutes(app);
  registerScreeningResultRoutes(app, ctx);
  registerOverrideRoutes(app, ctx);
  registerClearanceDocumentRoutes(app, ctx);
}
