import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { Message } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { useMessages } from '../api/messages';

const DELIVERY: Record<Message['status'], string> = {
  sent: 'E-mailed',
  in_app: 'Here only',
  pending: 'Sending…',
  failed: 'E-mail failed',
};

/** What each attachment is, in words ("Calendar file" for the .ics of a confirmation). */
const attachmentLabel = (a: Message['attachments'][number]) =>
  a.contentType.startsWith('text/calendar') ? `Add to calendar (${a.filename})` : a.filename;

export function MessagesPage() {
  const messages = useMessages();
  return (
    <div className="narrow stack">
      <PageHeader title="Messages">
        <p>
          Everything Knotwork has sent you, newest first: booking confirmations with a calendar file, reminders and
          changes. Each says whether it was also e-mailed to you.
        </p>
      </PageHeader>
      {messages.isLoading && <Loading />}
      <ErrorNotice error={messages.error} />
      {messages.data && messages.data.items.length === 0 && <EmptyState title="No messages yet." />}
      <ul className="stack" role="list">
        {messages.data?.items.map((m) => (
          <li key={m.id}>
            <details className="card message">
              <summary>
                <span className="message-subject">{m.subject}</span>
                <span className="muted small">
                  {formatWhen(m.createdAt)} ·{' '}
                  <span className={`delivery delivery-${m.status}`}>{DELIVERY[m.status]}</span>
                  {m.attachments.length > 0 &&
                    ` · ${m.attachments.length === 1 ? '1 file' : `${m.attachments.length} files`}`}
                </span>
              </summary>
              <p className="message-text">{m.text}</p>
              {m.attachments.length > 0 && (
                <ul className="attachments" aria-label="Attachments">
                  {m.attachments.map((a, index) => (
                    <li key={a.filename + index}>
                      <a
                        className="btn btn-small"
                        href={`/api/messages/${m.id}/attachments/${index}`}
                        download={a.filename}
                      >
                        {attachmentLabel(a)}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
