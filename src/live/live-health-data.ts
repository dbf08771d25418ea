import { bookingIdsOfClient } from '../booking/booking-reads.js';
import { healthDataPart } from '../health-data.js';

/**
 * The live signals of a client's sessions in their erasure (src/health-data.ts): erasure deletes them and their
 * sequence counters. The export does not list them (it never has; issue 13 changed no behaviour).
 */
export const liveHealthData = healthDataPart({
  name: 'live session signals',
  exports: [],
  erases: ['live_signals', 'live_sequences'],
  exportShape: {},
  async export() {
    return {};
  },
  counts: ['liveSignals'],
  async erase(trx, clientId) {
    const bookingIds = await bookingIdsOfClient(trx, clientId);
    if (bookingIds.length === 0) return { liveSignals: 0 };
    await trx.deleteFrom('live_sequences').where('booking_id', 'in', bookingIds).execute();
    const signals = await trx.deleteFrom('live_signals').where('booking_id', 'in', bookingIds).executeTakeFirst();
    return { liveSignals: Number(signals.numDeletedRows) };
  },
});
