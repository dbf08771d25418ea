import { describe, expect, it } from 'vitest';
import { foreignTableUses, foreignUsesIn, tableOwners } from './table-uses.js';

describe('table ownership', () => {
  it('only the owning capability names a table in SQL', () => {
    expect(foreignTableUses(), 'uses of another capability’s tables: call the owner’s functions instead').toEqual([]);
  });

  it('is seen in Kysely calls and raw SQL alike, and a capability’s own tables are left alone', () => {
    const owners = tableOwners();
    expect(owners.get('bookings')).toBe('booking');
    expect(owners.get('users')).toBe('accounts');
    const text = [
      "db.selectFrom('bookings as b').innerJoin('users as u', 'u.id', 'b.client_id')",
      'sql`UPDATE therapists SET rating_count = 0`',
      "trx.insertInto('live_signals')",
    ].join('\n');
    expect(foreignUsesIn('src/live/planted.ts', text, owners)).toEqual([
      'src/live/planted.ts → bookings (booking)',
      'src/live/planted.ts → users (accounts)',
      'src/live/planted.ts → therapists (therapists)',
    ]);
  });
});
