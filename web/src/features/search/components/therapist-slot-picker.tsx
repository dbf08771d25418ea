import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { addDays, browserZone, isoDateIn } from '../../../shared/lib/format';
import { fetchAvailability } from '../api/availability';
import { SlotList } from './slot-list';

export interface PickerPlace {
  mode: 'studio' | 'home';
  studioId: string | null;
  lat: number;
  lng: number;
}

/** Open times of one therapist at one place: a search narrowed to them, around the booking's own place. */
async function slotsOf(therapistId: string, durationMin: 60 | 90 | 120, place: PickerPlace, from: string, to: string): Promise<{ slots: string[]; timeZone: string }> {
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
    pageSize: 1,
  });
  const offer = result.results[0]?.offers.find((o) => (o.place.mode === 'studio' ? o.place.studioId === place.studioId : place.mode === 'home'));
  return offer ? { slots: offer.slots, timeZone: offer.timeZone } : { slots: [], timeZone: browserZone() };
}

export function TherapistSlotPicker({
  therapistId,
  therapistName,
  durationMin,
  place,
  onPick,
  renderPickError = (error) => <ErrorNotice error={error} />,
}: {
  therapistId: string;
  therapistName: string;
  durationMin: 60 | 90 | 120;
  place: PickerPlace;
  onPick: (start: string) => Promise<void>;
  renderPickError?: (error: unknown) => ReactNode;
}) {
  const today = isoDateIn(new Date());
  const [range, setRange] = useState({ from: today, to: addDays(today, 6) });
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

  return (
    <div className="stack">
      <div className="field-row">
        <Field label="From" error={fieldError(slots.error, 'from')}>
          {(p) => <input {...p} type="date" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} />}
        </Field>
        <Field label="To" error={fieldError(slots.error, 'to')}>
          {(p) => <input {...p} type="date" value={range.to} min={range.from} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} />}
        </Field>
      </div>
      <ErrorNotice error={slots.error} shownFields={['from', 'to']} />
      {error !== null && renderPickError(error)}
      {slots.isLoading && <Loading label="Finding open times…" />}
      {slots.data && slots.data.slots.length === 0 && <EmptyState title={`${therapistName} has no open times in these dates.`}>Try other dates.</EmptyState>}
      {slots.data && slots.data.slots.length > 0 && (
        <SlotList slots={slots.data.slots} zone={slots.data.timeZone} label={therapistName} pending={pending} onPick={(start) => void pick(start)} />
      )}
    </div>
  );
}
