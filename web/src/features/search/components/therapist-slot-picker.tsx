import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { addDays, browserZone, isoDateIn } from '../../../shared/lib/format';
import { fetchAvailability } from '../api/availability';
import { nearestSlots } from '../lib/nearest-slots';
import { SlotList } from './slot-list';

/** The API's most: a week of 15-minute steps over twelve hours a day is 336. */
const ALL_SLOTS = 500;
/** Around a time that was taken: the week from a few days before it (not before today), and its nearest times. */
const DAYS_BEFORE_AROUND = 3;
const NEAREST_COUNT = 8;

/** A week of dates: from today, or around a given instant. */
function initialRange(around: string | undefined) {
  const today = isoDateIn(new Date());
  const before = around ? addDays(isoDateIn(around), -DAYS_BEFORE_AROUND) : today;
  const from = before > today ? before : today;
  return { from, to: addDays(from, 6) };
}

export interface PickerPlace {
  mode: 'studio' | 'home';
  studioId: string | null;
  lat: number;
  lng: number;
}

/** Every open time of one therapist at one place in the dates, and the place's zone: a search narrowed to them, around the place. */
async function slotsOf(
  therapistId: string,
  durationMin: 60 | 90 | 120,
  place: PickerPlace,
  from: string,
  to: string,
): Promise<{ slots: string[]; timeZone: string }> {
  const result = await fetchAvailability({
    durationMin,
    from,
    to,
    zone: browserZone(),
    mode: place.mode,
    lat: place.lat,
    lng: place.lng,
    ...(place.mode === 'studio' ? { radiusKm: 1 } : {}),
    therapistId,
    slotsPerTherapist: ALL_SLOTS,
    pageSize: 1,
  });
  const offer = result.results[0]?.offers.find((o) =>
    o.place.mode === 'studio' ? o.place.studioId === place.studioId : place.mode === 'home',
  );
  return offer ? { slots: offer.slots, timeZone: offer.timeZone } : { slots: [], timeZone: browserZone() };
}

export function TherapistSlotPicker({
  therapistId,
  therapistName,
  durationMin,
  place,
  around,
  onPick,
  renderPickError = (error) => <ErrorNotice error={error} />,
}: {
  therapistId: string;
  therapistName: string;
  durationMin: 60 | 90 | 120;
  place: PickerPlace;
  /** A time that was wanted (and taken): list the open times nearest to it first. */
  around?: string | undefined;
  onPick: (start: string) => Promise<void>;
  renderPickError?: (error: unknown) => ReactNode;
}) {
  const [range, setRange] = useState(() => initialRange(around));
  const [showAll, setShowAll] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const slots = useQuery({
    queryKey: ['therapist-slots', therapistId, durationMin, place, range],
    queryFn: () => slotsOf(therapistId, durationMin, place, range.from, range.to),
  });

  const pick = async (start: string) => {
    setPending(start);
    setError(null);
    try {
      await onPick(start);
    } catch (failure) {
      setError(failure);
      void slots.refetch();
    } finally {
      setPending(null);
    }
  };

  const nearest =
    around && !showAll && slots.data && slots.data.slots.length > NEAREST_COUNT
      ? nearestSlots(slots.data.slots, around, NEAREST_COUNT)
      : null;

  return (
    <div className="stack">
      <div className="field-row">
        <Field label="From" error={fieldError(slots.error, 'from')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={range.from}
              onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
            />
          )}
        </Field>
        <Field label="To" error={fieldError(slots.error, 'to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={range.to}
              min={range.from}
              onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
            />
          )}
        </Field>
      </div>
      <ErrorNotice error={slots.error} shownFields={['from', 'to']} />
      {error !== null && renderPickError(error)}
      {slots.isLoading && <Loading label="Finding open times…" />}
      {slots.data && slots.data.slots.length === 0 && (
        <EmptyState title={`${therapistName} has no open times in these dates.`}>Try other dates.</EmptyState>
      )}
      {slots.data && slots.data.slots.length > 0 && (
        <SlotList
          slots={nearest ?? slots.data.slots}
          zone={slots.data.timeZone}
          label={therapistName}
          pending={pending}
          onPick={(start) => void pick(start)}
        />
      )}
      {nearest && (
        <button type="button" className="btn btn-link" onClick={() => setShowAll(true)}>
          Show every open time in these dates
        </button>
      )}
    </div>
  );
}
