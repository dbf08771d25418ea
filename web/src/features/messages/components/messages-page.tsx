import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/lib/format';
import { useMessages } from '../api/messages';

export function MessagesPage() {
  const messages = useMessages();
  return (
    <div className="narrow stack">
      <PageHeader title="Messages">
        <p>Everything Knotwork has sent you by e-mail, newest first.</p>
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
                <span className="muted small">{formatDateTime(m.createdAt)}</span>
              </summary>
              <p className="message-text">{m.text}</p>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
