import { describe, expect, it } from 'vitest';
import { allowedIncidentMoves, incidentMoveProblem } from './incident-states.js';

describe('incident states', () => {
  it('moves open -> in review -> resolved or dismissed, with a note to close', () => {
    expect(allowedIncidentMoves('open')).toEqual(['in_review', 'resolved', 'dismissed']);
    expect(incidentMoveProblem('open', 'in_review', null)).toBeNull();
    expect(incidentMoveProblem('in_review', 'resolved', 'Spoke to both; therapist warned')).toBeNull();
    expect(incidentMoveProblem('in_review', 'dismissed', null)).toEqual({
      field: 'note',
      message: 'Say what was done, or why it is dismissed',
    });
  });

  it('keeps resolved and dismissed final, and never goes back', () => {
    expect(allowedIncidentMoves('resolved')).toEqual([]);
    expect(incidentMoveProblem('resolved', 'open', 'x')).toMatchObject({
      message: 'An incident that is resolved cannot become open',
    });
    expect(incidentMoveProblem('in_review', 'open', null)).not.toBeNull();
    expect(incidentMoveProblem('dismissed', 'in_review', null)).not.toBeNull();
  });
});
