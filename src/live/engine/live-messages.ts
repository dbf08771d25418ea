import { z } from 'zod';
import { pressureLabel } from '../../domain/pressure-scale.js';
import { type ScreeningLimits, pressureExceedance } from '../../domain/screening-exceedances.js';
import { isRegionRef } from '../../domain/body-regions.js';
import { CLIENT_SIGNAL_KINDS, type SignalKind } from '../../domain/live-signals.js';
import { regionRefLabel } from '../../domain/region-label.js';
import type { RegionLimitView } from '../../care/engine/region-limits.js';

/**
 * The live channel's messages, both ways. Pure data: the WebSocket route parses every incoming frame with
 * `clientFrameSchema` and answers a frame that fails with an `error` frame, keeping the connection.
 */

export type PartyRole = 'client' | 'therapist';

const regionRef = z
  .string()
  .max(60)
  .refine(isRegionRef, { message: 'Not a body region of the body map', params: { code: 'unknown_region' } });
/** Chosen by the sender, unique per sender and booking: a resend with the same id is stored once. */
const clientMessageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only');

const feedbackFrame = z
  .object({
    type: z.literal('signal'),
    clientMessageId,
    kind: z.enum(CLIENT_SIGNAL_KINDS),
    region: regionRef.optional().describe('Default: the region the therapist is working'),
  })
  .strict();

const discomfortFrame = z
  .object({
    type: z.literal('discomfort'),
    clientMessageId,
    level: z.number().int().min(0).max(10),
    region: regionRef.optional(),
  })
  .strict();

/**
 * The therapist says where they are working and how firmly (the 1..5 pressure scale). Above the region's screening
 * cap, or on a region screening excludes, the frame must say why (`reason`); the server refuses it otherwise.
 */
const pressureFrame = z
  .object({
    type: z.literal('pressure'),
    clientMessageId,
    region: regionRef,
    level: z.number().int().min(1).max(5),
    reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(500).optional(),
  })
  .strict();

/** After (re)connecting: send me everything after `lastSeq` (0 for the whole series). */
const resumeFrame = z.object({ type: z.literal('resume'), lastSeq: z.number().int().min(0) }).strict();

const pingFrame = z.object({ type: z.literal('ping') }).strict();

export const clientFrameSchema = z.discriminatedUnion('type', [
  feedbackFrame,
  discomfortFrame,
  pressureFrame,
  resumeFrame,
  pingFrame,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type SignalFrame = Extract<ClientFrame, { type: 'signal' | 'discomfort' | 'pressure' }>;

/** Which frames each side may send: feedback is the client's, pressure the therapist's. */
export function frameAllowedFor(frame: ClientFrame, role: PartyRole): boolean {
  if (frame.type === 'signal' || frame.type === 'discomfort') return role === 'client';
  if (frame.type === 'pressure') return role === 'therapist';
  return true;
}

/** A stored signal as both sides see it. */
export const liveSignalSchema = z
  .object({
    seq: z.number().int(),
    at: z.iso.datetime(),
    by: z.enum(['client', 'therapist']),
    kind: z.enum(['less', 'good', 'more', 'discomfort', 'pressure']),
    level: z.number().int().nullable().describe('discomfort 0-10, or pressure 1-5'),
    region: z.string().nullable(),
    reason: z.string().nullable().describe('Pressure only: why the therapist went past the screening’s cap there'),
    clientMessageId: z.string(),
  })
  .meta({ id: 'LiveSignal' });
export type LiveSignal = z.infer<typeof liveSignalSchema>;

/** What a signal frame becomes when stored (kind, level, region and reason columns). */
export function signalOfFrame(frame: SignalFrame): {
  kind: SignalKind;
  level: number | null;
  region: string | null;
  reason: string | null;
} {
  switch (frame.type) {
    case 'signal':
      return { kind: frame.kind, level: null, region: frame.region ?? null, reason: null };
    case 'discomfort':
      return { kind: 'discomfort', level: frame.level, region: frame.region ?? null, reason: null };
    case 'pressure':
      return { kind: 'pressure', level: frame.level, region: frame.region, reason: frame.reason ?? null };
  }
}

/**
 * Why a pressure frame is refused for the screening (pure): a level above the region's cap, or any pressure on a
 * region screening excludes, needs a reason. The message is for the therapist, in their words.
 */
export function overCapProblem(
  frame: Extract<ClientFrame, { type: 'pressure' }>,
  limits: ScreeningLimits,
): FrameProblem | null {
  if (frame.reason !== undefined) return null;
  const beyond = pressureExceedance(frame.region, frame.level, limits);
  if (!beyond) return null;
  const where = regionRefLabel(frame.region);
  const message =
    beyond.kind === 'excluded_region_worked'
      ? `Screening says to leave ${where} out for this client: confirm and give a reason (at least 10 characters) to work there`
      : `Screening caps ${where} at ${beyond.cap} (${pressureLabel(beyond.cap).toLowerCase()}) for this client: confirm and give a reason (at least 10 characters) to go to ${frame.level}`;
  return { code: 'exceedance_reason_required', message, field: 'reason', clientMessageId: frame.clientMessageId };
}

/** Frames the server sends. */
export type ServerFrame =
  /** `limits` (the therapist's only): the regions the booking's screening caps or excludes, for the live controls. */
  | { type: 'ready'; bookingId: string; role: PartyRole; latestSeq: number; limits?: RegionLimitView[] }
  | { type: 'signal'; signal: LiveSignal }
  | { type: 'ack'; clientMessageId: string; seq: number; duplicate: boolean }
  | { type: 'replayed'; fromSeq: number; toSeq: number }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; field?: string; clientMessageId?: string }
  | { type: 'ended'; reason: 'checked_out' | 'signed_out' };

export interface FrameProblem {
  code: string;
  message: string;
  field?: string;
  clientMessageId?: string;
}

/**
 * Parses one incoming frame. A frame that is not JSON, not an object of a known type, or has a bad field gives
 * the first problem (with its field path); the caller answers it and keeps the connection.
 */
export function parseClientFrame(raw: string, role: PartyRole): { frame: ClientFrame } | { problem: FrameProblem } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: { code: 'malformed_json', message: 'The frame is not valid JSON' } };
  }
  const idOf = (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { clientMessageId?: unknown }).clientMessageId === 'string'
      ? { clientMessageId: (value as { clientMessageId: string }).clientMessageId }
      : {};
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    return {
      problem: { code: 'validation_failed', message: issue.message, ...(field ? { field } : {}), ...idOf(json) },
    };
  }
  if (!frameAllowedFor(parsed.data, role)) {
    return {
      problem: {
        code: 'forbidden',
        message:
          role === 'client' ? 'Only the therapist sends the pressure being applied' : 'Only the client sends feedback',
        field: 'type',
        ...idOf(json),
      },
    };
  }
  return { frame: parsed.data };
}
