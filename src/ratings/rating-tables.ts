export type Rater = 'client' | 'therapist';
export type PairPreference = 'prefer' | 'neutral' | 'never';

export interface SessionRatingsTable {
  booking_id: string;
  rater: Rater;
  client_id: string;
  therapist_id: string;
  stars: number;
  /** Private: read by its writer and operators only. */
  comment: string | null;
  created_at: Date;
  /** Public: a client's review on the therapist's profile. */
  review: string | null;
  reply: string | null;
  replied_at: Date | null;
  hidden_at: Date | null;
  hidden_by: string | null;
  hidden_reason: string | null;
}

export interface PairPreferencesTable {
  client_id: string;
  therapist_id: string;
  set_by: Rater;
  preference: PairPreference;
  updated_at: Date;
}

export interface RatingTables {
  session_ratings: SessionRatingsTable;
  pair_preferences: PairPreferencesTable;
}
