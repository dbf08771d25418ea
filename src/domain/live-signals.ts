/** What a live session's signals say: the client's less/good/more, their discomfort (0-10), the therapist's pressure. */

export const CLIENT_SIGNAL_KINDS = ['less', 'good', 'more'] as const;
export type ClientSignalKind = (typeof CLIENT_SIGNAL_KINDS)[number];
export type SignalKind = ClientSignalKind | 'discomfort' | 'pressure';
