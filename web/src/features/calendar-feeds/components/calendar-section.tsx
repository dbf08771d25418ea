import { useEffect, useRef, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { CalendarFeed, NewCalendarFeed } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { useCalendarFeeds, useCreateFeed, useRevokeFeed, useRotateFeed } from '../api/feeds';

/** The URL of a feed just made, shown this once, with a copy button and a link that opens a calendar app. */
function NewFeedUrl({ feed }: { feed: NewCalendarFeed }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  useEffect(() => input.current?.focus(), [feed.url]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(feed.url);
      setCopied('yes');
    } catch {
      // Without clipboard access (an insecure origin, a denied permission) the selected text can still be copied.
      input.current?.select();
      setCopied('select');
    }
  };
  return (
    <div className="notice notice-success stack">
      <Field
        label={`Private link for “${feed.label}”`}
        hint="Shown only now. Paste it into your calendar app as a subscription (“From URL”)."
      >
        {(p) => (
          <input {...p} ref={input} readOnly value={feed.url} onFocus={(e) => e.target.select()} className="feed-url" />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          Copy link
        </button>
        <a className="btn" href={feed.webcalUrl}>
          Open in my calendar app
        </a>
      </div>
      <p role="status" className="small">
        {copied === 'yes'
          ? 'Link copied.'
          : copied === 'select'
            ? 'The link is selected: copy it with Ctrl+C (⌘C on a Mac).'
            : ''}
      </p>
    </div>
  );
}

function FeedRow({ feed, onNewUrl }: { feed: CalendarFeed; onNewUrl: (feed: NewCalendarFeed) => void }) {
  const rotate = useRotateFeed();
  const revoke = useRevokeFeed();
  return (
    <li className="feed">
      <div className="row-between">
        <div>
          <strong>{feed.label}</strong>
          <p className="muted small">
            Made {formatWhen(feed.createdAt)} ·{' '}
            {feed.lastFetchedAt
              ? `last read by a calendar ${formatWhen(feed.lastFetchedAt)}`
              : 'not read by a calendar yet'}
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="btn btn-small"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate(feed.id, { onSuccess: onNewUrl })}
          >
            Replace link<span className="visually-hidden"> for {feed.label}</span>
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger-outline"
            disabled={revoke.isPending}
            onClick={() => revoke.mutate(feed.id)}
          >
            Revoke<span className="visually-hidden"> {feed.label}</span>
          </button>
        </div>
      </div>
      <ErrorNotice error={rotate.error ?? revoke.error} />
    </li>
  );
}

/**
 * Private calendar feeds (iCalendar): a link any calendar app can subscribe to, listing the person's sessions.
 * Replacing a link stops the old one at once; revoking stops it for good.
 */
export function CalendarSection() {
  const feeds = useCalendarFeeds();
  const create = useCreateFeed();
  const [label, setLabel] = useState('');
  const [fresh, setFresh] = useState<NewCalendarFeed | null>(null);
  const active = feeds.data?.items.filter((f) => !f.revokedAt) ?? [];
  const revoked = feeds.data?.items.filter((f) => f.revokedAt) ?? [];
  return (
    <section className="card stack" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Calendar</h2>
      <p>
        See your sessions in the calendar you already use. Each link is private: anyone who has it can see your session
        times and places, so make one per app and revoke any you no longer use.
      </p>
      {fresh && <NewFeedUrl feed={fresh} />}
      <form
        className="form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(label, {
            onSuccess: (feed) => {
              setFresh(feed);
              setLabel('');
            },
          });
        }}
      >
        <Field label="For which app or device? (optional)" error={fieldError(create.error, 'label')}>
          {(p) => (
            <input
              {...p}
              maxLength={60}
              placeholder="e.g. Phone calendar"
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn" disabled={create.isPending}>
          Create a calendar link
        </button>
      </form>
      <ErrorNotice error={create.error} shownFields={['label']} />
      {feeds.isLoading && <Loading label="Loading your calendar links…" />}
      <ErrorNotice error={feeds.error} />
      {active.length > 0 && (
        <ul className="plain-list" aria-label="Calendar links">
          {active.map((feed) => (
            <FeedRow key={feed.id} feed={feed} onNewUrl={setFresh} />
          ))}
        </ul>
      )}
      {feeds.data && active.length === 0 && <p className="muted">No calendar links yet.</p>}
      {revoked.length > 0 && (
        <details>
          <summary>Revoked links ({revoked.length})</summary>
          <ul className="plain-list">
            {revoked.map((f) => (
              <li key={f.id}>
                {f.label} <span className="muted small">revoked {formatWhen(f.revokedAt!)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
