import { accessLogHealthData } from '../accounts/access-log-health-data.js';
import { aftercareHealthData } from '../aftercare/aftercare-health-data.js';
import { healthDataRegistry } from '../health-data.js';
import { intakeHealthData } from '../intake/intake-health-data.js';
import { liveHealthData } from '../live/live-health-data.js';
import { outcomesHealthData } from '../outcomes/outcome-health-data.js';
import { sessionNotesHealthData, treatmentPlansHealthData } from '../records/records-health-data.js';
import { screeningHealthData } from '../screening/screening-health-data.js';

/**
 * Every part of a client's health data, registered once: the export (`GET /api/me/health-data`) lists them in this
 * order, erasure (`DELETE /api/me/health-data`) deletes them in the reverse order. A capability that stores a
 * client's data adds its part here; test/structure/health-data-coverage.test.ts fails until it does.
 */
export const healthData = healthDataRegistry([
  intakeHealthData,
  screeningHealthData,
  accessLogHealthData,
  aftercareHealthData,
  sessionNotesHealthData,
  outcomesHealthData,
  treatmentPlansHealthData,
  liveHealthData,
]);
