/**
 * An incident's states: open -> in_review -> resolved | dismissed, and an open one may be closed at once.
 * Resolved and dismissed are final; closing needs the operator's note saying what was done or why.
 */
export const INCIDENT_STATUSES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  open: ['in_review', 'resolved', 'dismissed'],
  in_review: ['resolved', 'dismissed'],
  resolved: [],
  dismissed: [],
};

/** Incidents an operator still has to act on: the queue's default view. */
export const ACTIVE_INCIDENT_STATUSES: readonly IncidentStatus[] = ['open', 'in_review'];

export function allowedIncidentMoves(from: IncidentStatus): readonly IncidentStatus[] {
  return NEXT[from];
}

/** Why the move is refused, or null when it is allowed. */
export function incidentMoveProblem(
  from: IncidentStatus,
  to: IncidentStatus,
  note: string | null,
): { field?: 'note'; message: string } | null {
  if (!NEXT[from].includes(to))
    return { message: `An incident that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}` };
  if ((to === 'resolved' || to === 'dismissed') && !note)
    return { field: 'note', message: `Say what was done, or why it is ${to}` };
  return null;
}
