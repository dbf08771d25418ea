import { vi } from 'vitest';
import { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/live/engine/live-messages.js';

/** A refused upgrade: the HTTP answer the server gave instead of switching protocols. */
export interface Refusal {
  refused: true;
  status: number;
  body: Record<string, unknown>;
}

/**
 * A real WebSocket client on a real port, recording every frame it receives. `waitFor` polls the recorded
 * frames, so a test states what it expects to arrive, not when.
 */
export class LiveTestClient {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly socket: WebSocket) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- ws gives a text frame as a Buffer, whose String() is its UTF-8 text
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerFrame));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Signals received, in order, by sequence. */
  get seqs(): number[] {
    return this.frames.flatMap((f) => (f.type === 'signal' ? [f.signal.seq] : []));
  }

  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  waitFor<T>(find: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    return vi.waitFor(
      () => {
        const found = find();
        if (found === undefined || found === false)
          throw new Error(`Timed out; frames so far: ${JSON.stringify(this.frames)}`);
        return found;
      },
      { timeout: timeoutMs, interval: 5 },
    );
  }

  waitForClose(timeoutMs = 5_000) {
    return this.waitFor(() => this.closed ?? undefined, timeoutMs);
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** Opens the live channel of a booking as whoever `cookie` signs in (or nobody). */
export function openLive(
  baseUrl: string,
  bookingId: string,
  cookie: string | null,
  headers: Record<string, string> = {},
): Promise<LiveTestClient | Refusal> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/bookings/${bookingId}/live`;
  const socket = new WebSocket(url, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { text };
        }
        resolve({ refused: true, status: response.statusCode ?? 0, body });
      });
    });
    // Listen before 'open' resolves, so the server's first frame (ready) is never missed.
    const client = new LiveTestClient(socket);
    socket.once('open', () => resolve(client));
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

/** Opens the channel and fails the test when it is refused. */
export async function joinLive(baseUrl: string, bookingId: string, cookie: string): Promise<LiveTestClient> {
  const result = await openLive(baseUrl, bookingId, cookie);
  if ('refused' in result) throw new Error(`live channel refused: ${result.status} ${JSON.stringify(result.body)}`);
  await result.waitFor(() => result.frames.find((f) => f.type === 'ready'));
  return result;
}
