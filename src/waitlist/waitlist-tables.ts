import type { ColumnType, Generated } from 'kysely';
import type { WaitlistOffer } from './engine/waitlist-window.js';

export type WaitlistStatus = 'waiting' | 'offered' | 'claimed' | 'expired' | 'cancelled';

/** A client waiting for a time (migration 0035). */
export interface WaitlistEntriesTable {
  id: Generated<string>;
  /** The place in line (an identity): clients are told in the order they joined. */
  seq: Generated<number>;
  client_id: string;
  /** null: any therapist matching the search criteria below. */
  therapist_id: string | null;
  duration_min: number;
  mode: 'studio' | 'home';
  lat: number;
  lng: number;
  radius_km: number;
  address: string | null;
  gender: 'female' | 'male' | 'nonbinary' | null;
  specialty: string | null;
  time_zone: string;
  from_date: string;
  to_date: string;
  from_minute: number;
  to_minute: number;
  status: Generated<WaitlistStatus>;
  offer: ColumnType<WaitlistOffer | null, string | null | undefined, string | null>;
  offered_at: Date | null;
  booking_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface WaitlistTables {
  waitlist_entries: WaitlistEntriesTable;
}
