/**
 * The places a visitor marked in the self-check, carried to the consultation if they sign up. Nothing is stored on the
 * server: the places travel in the address (search's `focus`, then the tapped time's `/hold?…&focus=`, inside the
 * `?next=` of sign-in, sign-up and the consultation) and, with their tightness and pain, in this tab's
 * sessionStorage, so the consultation's body map can start from them. The client can still change them there.
 */
import { isRegionRef } from '../../../../src/domain/body-regions';
import type { BodyMapValue, RegionRating } from '../components/body-map/body-map';

const KEY = 'knotwork.self-check.marks';
/** As many places as a booking's focus may name. */
const MAX_PLACES = 20;
/** A place carried by its name only starts as the body map starts a tap. */
const TAPPED: RegionRating = { tightness: 5, pain: 0 };

const isScore = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 10;

/** Keeps the marked places (and their ratings) for this tab. */
export function keepSelfCheckMarks(marks: BodyMapValue) {
  try {
    const plain = Object.fromEntries(
      Object.entries(marks).map(([ref, r]) => [ref, { tightness: r.tightness, pain: r.pain }]),
    );
    sessionStorage.setItem(KEY, JSON.stringify(plain));
  } catch {
    // Storage refused (private mode, full): the places still travel in the address.
  }
}

/** The places kept, checked as anything read back is: null when there are none or they are not what we write. */
function keptSelfCheckMarks(): BodyMapValue | null {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const entries = Object.entries(parsed as Record<string, { tightness?: unknown; pain?: unknown }>).filter(
      ([ref, r]) => isRegionRef(ref) && isScore(r?.tightness) && isScore(r?.pain),
    );
    if (entries.length === 0 || entries.length > MAX_PLACES) return null;
    return Object.fromEntries(
      entries.map(([ref, r]) => [ref, { tightness: r.tightness!, pain: r.pain! }]),
    ) as BodyMapValue;
  } catch {
    return null;
  }
}

export function forgetSelfCheckMarks() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}

/** Search's `focus` parameter: the places, comma-separated, or null when absent or not what we write. */
export function focusOfSearch(params: URLSearchParams): string[] | null {
  const value = params.get('focus');
  if (!value) return null;
  const refs = value.split(',');
  return refs.length <= MAX_PLACES && refs.every(isRegionRef) && new Set(refs).size === refs.length ? refs : null;
}

/**
 * Where the consultation's body map starts: the places the tapped time carries (`focus`), with the ratings kept in
 * this tab where it has them; without a tapped time, the places kept from the self-check; else nothing.
 */
export function consultationPrefill(focus: readonly string[] | null): BodyMapValue | null {
  const kept = keptSelfCheckMarks();
  if (focus && focus.length > 0) return Object.fromEntries(focus.map((ref) => [ref, kept?.[ref] ?? TAPPED]));
  return kept;
}
