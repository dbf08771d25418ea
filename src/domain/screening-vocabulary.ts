/** Words of screening that server and web both write: the pressure scale as screening names it, who gives clearance, what advice is about. */

/** Knotwork's pressure scale: 1 light, 2 medium, 3 firm, 4 deep, 5 very deep. */
export type Pressure = 1 | 2 | 3 | 4 | 5;
export const PRESSURE_LABELS: Record<Pressure, string> = {
  1: 'light',
  2: 'medium',
  3: 'firm',
  4: 'deep',
  5: 'very deep',
};

/** Who must give clearance, as staff read it: "your cardiologist or doctor" becomes "the client's cardiologist or doctor". */
export const clearanceGiverForStaff = (fromForClient: string) => fromForClient.replace(/\byour\b/g, "the client's");

/** What a piece of screening advice is about, as staff read it. */
export const ADVICE_TOPIC_LABELS = {
  position: 'Positioning',
  session: 'The session',
  therapist: 'For the therapist',
} as const;
