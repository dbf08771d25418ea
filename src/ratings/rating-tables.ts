export type Rater = 'client' | 'therapist';
export type PairPreference = 'prefer' | 'neutral' | 'never';

export interface SessionRatingsTable {
  booking_id: string;
  rater: Rater;
  client_id: string;
  therapist_id: string;
  stars: number;
  comment: string | null;
  created_at: Date;
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
