import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { restrictedNotesOf } from './note-retention.js';
import { loadNote, noteSchema, noteView } from './session-notes.js';

const params = z.object({ clientId: z.uuid() }).strict();
const query = z
  .object({
    reason: z
      .string()
      .trim()
      .min(10)
      .max(500)
      .describe('Why the restricted notes are read (the request, claim or order): kept in the client’s access log'),
  })
  .strict();

/**
 * The one read of signed notes kept restricted after their client's erasure (records/note-retention.ts): for
 * operators, with a stated reason, recorded in the client's access log like every health read.
 */
export function registerLegalHoldRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;
  app.get(
    '/api/operator/clients/:clientId/restricted-notes',
    {
      schema: {
        tags: ['operator'],
        summary: 'Legal hold: a client’s signed session notes kept restricted after their erasure (audited)',
        description:
          'Signed notes (with their amendments) that an erasure keeps for the market’s retention period are read by no one else: not the therapist who wrote them, nor any other read of the API. An operator answering a legal request, a complaint or an order reads them here, giving the reason, which is recorded with the read in the client’s access log. Empty once the purge job has deleted them.',
        params,
        querystring: query,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: {
          200: z.array(
            z.object({
              restrictedUntil: z.iso.datetime().describe('When the purge job deletes it'),
              note: noteSchema,
            }),
          ),
        },
      },
    },
    async (request) => {
      const operator = requireUser(request, 'operator');
      const { clientId } = request.params;
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          operator,
          { clientId, record: 'restricted_notes', subjectId: clientId, detail: { reason: request.query.reason } },
          clock.now(),
        );
        const notes = [];
        for (const row of await restrictedNotesOf(trx, clientId)) {
          const stored = await loadNote(trx, row.booking_id, { restricted: true });
          notes.push({ restrictedUntil: row.restricted_until!.toISOString(), note: await noteView(trx, stored!) });
        }
        return notes;
      });
    },
  );
}
