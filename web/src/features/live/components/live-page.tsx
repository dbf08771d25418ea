import { useQuery } from '@tanstack/react-query';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { LiveSummaryTable } from '../../../shared/components/live-summary-table';
import { api } from '../../../shared/lib/api-client';
import type { Booking } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { useLiveChannel, useLiveSeries } from '../api/live';
import { ClientLivePanel } from './client-live-panel';
import { TherapistLiveView } from './therapist-live-view';

/** A session's live screen: the client's panel or the therapist's view, open from check-in to check-out. */
export function LivePage({ id, role }: { id: string; role: 'client' | 'therapist' }) {
  const booking = useQuery({ queryKey: ['bookings', id], queryFn: () => api.get<Booking>(`/api/bookings/${id}`) });
  const inProgress = booking.data?.status === 'checked_in';
  const live = useLiveChannel(id, inProgress);
  const over = booking.data !== undefined && !inProgress;
  const series = useLiveSeries(id, over && booking.data?.status === 'completed');
  if (booking.isLoading) return <Loading />;
  if (booking.error || !booking.data) return <ErrorNotice error={booking.error} />;
  const b = booking.data;
  const other = role === 'client' ? b.therapist.displayName : b.client.displayName;
  return (
    <div className={`${role === 'client' ? 'narrow' : 'medium'} stack`}>
      <PageHeader title={role === 'client' ? 'Live feedback' : `Live: ${b.client.displayName}`}>
        <p className="muted">
          {role === 'client'
            ? `Tell ${other} how the pressure feels, as you go.`
            : 'The client’s feedback, as they give it.'}
        </p>
      </PageHeader>
      {inProgress ? (
        role === 'client' ? (
          <ClientLivePanel booking={b} live={live} />
        ) : (
          <TherapistLiveView booking={b} live={live} />
        )
      ) : (
        <EmptyState
          title={b.status === 'completed' ? 'The session is over.' : 'Live feedback opens when the session starts.'}
        >
          {series.data && <LiveSummaryTable summary={series.data.summary} caption="Feedback per area" />}
          <p>
            <Link to={role === 'client' ? `/bookings/${id}` : `/therapist/sessions/${id}`}>Back to the session</Link>
          </p>
        </EmptyState>
      )}
    </div>
  );
}
