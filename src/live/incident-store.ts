import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { SignedInUser } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import { enqueueMessages } from '../notify/outbox.js';
import { INCIDENT_STATUSES, type IncidentStatus } from './engine/incident-states.js';
import type { IncidentKind } from './live-tables.js';
import { bookingFacts } from '../booking/booking-reads.js';
import { operatorIds, userNames } from '../accounts/accounts-reads.js';
import { type AccessBasis, auditHealthReads } from '../intake/health-access.js';

type Db = Kysely<DB> | Transaction<DB>;

export const INCIDENT_KIND_LABELS: Record<IncidentKind, string> = {
  inappropriate_conduct: 'Inappropriate conduct',
  injury: 'Injury',
  safety: 'Safety concern',
  other: 'Other',
  overdue_checkout: 'Check-out overdue',
};

export const incidentSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    kind: z.enum(['inappropriate_conduct', 'injury', 'safety', 'other', 'overdue_checkout']),
    kindLabel: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    description: z.string(),
    reporter: z
      .object({ id: z.uuid(), displayName: z.string(), role: z.enum(['client', 'therapist']) })
      .nullable()
      .describe('null: raised by the overdue check-out watch'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    session: z.object({
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime(),
      timeZone: z.string(),
      status: z.string(),
      clientName: z.string(),
      therapistName: z.string(),
    }),
    history: z
      .array(
        z.object({
          from: z.enum(INCIDENT_STATUSES).nullable(),
          to: z.enum(INCIDENT_STATUSES),
          at: z.iso.datetime(),
          by: z.string().nullable(),
          note: z.string().nullable(),
        }),
      )
      .describe('Every change of state; operators’ notes are shown to operators only'),
  })
  .meta({ id: 'Incident' });
export type IncidentView = z.infer<typeof incidentSchema>;

export interface IncidentFilter {
  ids?: readonly string[];
  bookingId?: string;
  reporterId?: string;
  statuses?: readonly IncidentStatus[];
  kind?: IncidentKind;
  limit?: number;
}

/** Incidents with their session and history, newest first, as `viewer` may see them. */
export async function incidentViews(db: Db, viewer: SignedInUser, filter: IncidentFilter): Promise<IncidentView[]> {
  return (await incidentRows(db, viewer, filter)).map(({ view }) => view);
}

/**
 * Reads incidents for `viewer` as a health read: a reported incident is the reporter's free text and can describe
 * an injury, so every reported incident returned writes an audit row ('incident', in the client's access log) in
 * the same transaction, with the viewer's basis (operator; the client themselves; the session's therapist). The
 * overdue check-out alerts the watch raises hold no health content and are not audited.
 */
export async function readIncidents(
  trx: Transaction<DB>,
  viewer: SignedInUser,
  filter: IncidentFilter,
  now: number,
): Promise<IncidentView[]> {
  const rows = await incidentRows(trx, viewer, filter);
  await auditHealthReads(
    trx,
    viewer,
    rows
      .filter(({ view }) => view.kind !== 'overdue_checkout')
      .map(({ clientId, view }) => ({
        clientId,
        record: 'incident' as const,
        subjectId: view.id,
        detail: { basis: basisOf(viewer, clientId), bookingId: view.bookingId },
      })),
    now,
  );
  return rows.map(({ view }) => view);
}

const basisOf = (viewer: SignedInUser, clientId: string): AccessBasis =>
  viewer.role === 'operator' ? 'operator' : viewer.id === clientId ? 'self' : 'booked_therapist';

async function incidentRows(
  db: Db,
  viewer: SignedInUser,
  filter: IncidentFilter,
): Promise<{ clientId: string; view: IncidentView }[]> {
  let query = db
    .selectFrom('incidents as i')
    .innerJoin(bookingFacts(db).as('b'), 'b.id', 'i.booking_id')
    .innerJoin(userNames(db).as('c'), 'c.id', 'b.client_id')
    .innerJoin(userNames(db).as('t'), 't.id', 'b.therapist_id')
    .leftJoin(userNames(db).as('r'), 'r.id', 'i.reporter_id')
    .select([
      'i.id',
      'i.booking_id',
      'i.kind',
      'i.status',
      'i.description',
      'i.reporter_id',
      'i.reporter_role',
      'i.created_at',
      'i.updated_at',
      'r.display_name as reporter_name',
      'b.starts_at',
      'b.ends_at',
      'b.time_zone',
      'b.status as booking_status',
      'b.client_id',
      'c.display_name as client_name',
      't.display_name as therapist_name',
    ])
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id');
  if (filter.ids)
    query = query.where('i.id', 'in', filter.ids.length > 0 ? filter.ids : ['00000000-0000-0000-0000-000000000000']);
  if (filter.bookingId) query = query.where('i.booking_id', '=', filter.bookingId);
  if (filter.reporterId) query = query.where('i.reporter_id', '=', filter.reporterId);
  if (filter.statuses) query = query.where('i.status', 'in', filter.statuses);
  if (filter.kind) query = query.where('i.kind', '=', filter.kind);
  if (filter.limit) query = query.limit(filter.limit);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const events = await db
    .selectFrom('incident_events as e')
    .leftJoin(userNames(db).as('u'), 'u.id', 'e.actor_id')
    .select(['e.incident_id', 'e.from_status', 'e.to_status', 'e.at', 'e.note', 'u.display_name'])
    .where(
      'e.incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('e.id')
    .execute();
  const operator = viewer.role === 'operator';
  return rows.map((r) => ({
    clientId: r.client_id,
    view: {
      id: r.id,
      bookingId: r.booking_id,
      kind: r.kind,
      kindLabel: INCIDENT_KIND_LABELS[r.kind],
      status: r.status,
      description: r.description,
      reporter:
        r.reporter_id && r.reporter_role !== 'system'
          ? { id: r.reporter_id, displayName: r.reporter_name ?? '', role: r.reporter_role }
          : null,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      session: {
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        timeZone: r.time_zone,
        status: r.booking_status,
        clientName: r.client_name,
        therapistName: r.therapist_name,
      },
      history: events
        .filter((e) => e.incident_id === r.id)
        .map((e) => ({
          from: e.from_status,
          to: e.to_status,
          at: e.at.toISOString(),
          by: operator ? e.display_name : null,
          note: operator ? e.note : null,
        })),
    },
  }));
}

/** Opens an incident and tells every operator, in the caller's transaction. Returns its id. */
export async function openIncident(
  trx: Transaction<DB>,
  incident: {
    bookingId: string;
    kind: IncidentKind;
    reporter: SignedInUser | null;
    reporterRole: 'client' | 'therapist' | 'system';
    description: string;
  },
  now: number,
): Promise<string> {
  const { id } = await trx
    .insertInto('incidents')
    .values({
      booking_id: incident.bookingId,
      kind: incident.kind,
      reporter_id: incident.reporter?.id ?? null,
      reporter_role: incident.reporterRole,
      description: incident.description,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('incident_events')
    .values({
      incident_id: id,
      from_status: null,
      to_status: 'open',
      actor_id: incident.reporter?.id ?? null,
      note: null,
      at: new Date(now),
    })
    .execute();
  const operators = await operatorIds(trx);
  const label = INCIDENT_KIND_LABELS[incident.kind];
  // The description stays in the app: it may describe an injury, and messages carry no health data.
  await enqueueMessages(
    trx,
    operators.map((userId) => ({
      userId,
      kind: incident.kind === 'overdue_checkout' ? 'safety.checkout_overdue' : 'safety.incident',
      subject:
        incident.kind === 'overdue_checkout'
          ? 'Safety: a session has not been checked out'
          : `Safety: incident reported (${label})`,
      text:
        incident.kind === 'overdue_checkout'
          ? 'A session is still checked in well after its planned end. Contact the therapist and the client now: open Knotwork, Incidents.'
          : `A ${incident.reporterRole} reported an incident (${label}) about a session. Review it in Knotwork, Incidents.`,
      bookingId: incident.bookingId,
      dedupeKey: `safety.incident:${id}:${userId}`,
    })),
    now,
  );
  return id;
}
