import type { LiveState } from '../lib/live-socket';

const WORDS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Connected',
  reconnecting: 'Connection lost, reconnecting… Your taps are kept and sent when it is back.',
  ended: 'The session is over: live feedback is closed.',
};

/** The connection's state, announced politely when it changes. */
export function LiveStatus({ state, unsent }: { state: LiveState; unsent: number }) {
  return (
    <p className={`live-status live-status-${state}`} role="status" data-state={state}>
      <span className="live-dot" aria-hidden="true" />
      {WORDS[state]}
      {state === 'live' && unsent > 0 ? ` · sending ${unsent}…` : ''}
    </p>
  );
}
