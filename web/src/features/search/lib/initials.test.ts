import { describe, expect, it } from 'vitest';
import { initialsOf } from './initials';

describe('initialsOf', () => {
  it('takes the first and last words’ first letters, upper-cased', () => {
    expect(initialsOf('Maya Chen')).toBe('MC');
    expect(initialsOf('  ana  maría de la cruz ')).toBe('AC');
    expect(initialsOf('Pia')).toBe('P');
    expect(initialsOf('')).toBe('');
  });
});
