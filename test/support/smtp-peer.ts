import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import ical from 'node-ical';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  parsed: ParsedMail;
}

export interface SmtpPeer {
  url: string;
  received: ReceivedMail[];
  /** Answers the next `count` messages to `to` with this SMTP reply instead of accepting them. */
  refuseNext(to: string, count: number, responseCode: number, message?: string): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a random local port: Knotwork's nodemailer transport talks SMTP to it, and every
 * accepted message is parsed (MIME, attachments) so tests check what a mailbox would show.
 */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, { left: number; responseCode: number; message: string }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const refusal = to.map((address) => refusals.get(address)).find((r) => r && r.left > 0);
          if (refusal) {
            refusal.left--;
            callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
            return;
          }
          received.push({
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
            parsed,
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext(to, count, responseCode, message = 'Try again later') {
      refusals.set(to, { left: count, responseCode, message });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The calendar events in a mail's .ics attachment, as a calendar app would read them. */
export function calendarEventsOf(mail: ReceivedMail): ical.VEvent[] {
  const attachment = mail.parsed.attachments.find((a) => a.contentType === 'text/calendar');
  if (!attachment) return [];
  return Object.values(ical.sync.parseICS(attachment.content.toString('utf8'))).filter(
    (c): c is ical.VEvent => c?.type === 'VEVENT',
  );
}

/** node-ical gives a text property either as a string or as { val, params }. */
export function icalText(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- otherwise a string (or absent), never a plain object
  return typeof value === 'object' && value !== null && 'val' in value ? String(value.val) : String(value ?? '');
}
