/** A slot the client chose: what the booking screens need to hold it. */
export interface SlotPick {
  therapistId: string;
  therapistName: string;
  durationMin: 60 | 90 | 120;
  start: string;
  /** The place's IANA zone, from the search offer. */
  zone: string;
  place: { mode: 'studio'; studioId: string } | { mode: 'home'; address: string; lat: number; lng: number };
}
