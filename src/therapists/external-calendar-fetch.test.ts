import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './external-calendar-fetch.js';

describe('isPrivateAddress', () => {
  it('names loopback, private, link-local and mapped addresses, and no public one or name', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.10',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of [
      '8.8.8.8',
      '142.250.80.46',
      '2607:f8b0:4004:800::200e',
      '::ffff:8.8.8.8',
      'calendar.google.com',
    ])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
