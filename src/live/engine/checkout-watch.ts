/**
 * The overdue check-out rule: a session still checked in `alertMin` minutes after its planned end is overdue,
 * and operators are alerted (a therapist may be in trouble, or the client may be). Pure.
 */
export function checkoutAlertAt(plannedEnd: number, alertMin: number): number {
  return plannedEnd + alertMin * 60_000;
}

export function isCheckoutOverdue(session: { status: string; endsAt: number }, alertMin: number, now: number): boolean {
  return session.status === 'checked_in' && now >= checkoutAlertAt(session.endsAt, alertMin);
}
