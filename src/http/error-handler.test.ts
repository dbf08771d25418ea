import { describe, expect, it } from 'vitest';
import { databaseUnavailableReason, problemFromDatabaseError } from './error-handler.js';

/** An error shaped as pg's DatabaseError: a message and a SQLSTATE `code`. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('the database being unavailable', () => {
  it.each([
    ['53300', 'sorry, too many clients already'],
    ['53300', 'too many connections for role "knotwork"'],
    ['57P03', 'the database system is starting up'],
    ['57P03', 'the database system is shutting down'],
    ['57P03', 'the database system is not yet accepting connections'],
    ['57P01', 'terminating connection due to administrator command'],
  ])('maps SQLSTATE %s (%s) to 503 service_unavailable with a retry', (code, message) => {
    const error = pgError(code, message);
    expect(databaseUnavailableReason(error)).toBe(code);
    const problem = problemFromDatabaseError(error);
    expect(problem?.code).toBe('service_unavailable');
    expect(problem?.status).toBe(503);
    expect(problem?.extra).toEqual({ retryAfterSeconds: 3 });
    expect(problem?.cause).toBe(error);
  });

  it('maps a refused connection, also when Node refuses every address at once (AggregateError)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(problemFromDatabaseError(refused)?.code).toBe('service_unavailable');
    const everyAddress = Object.assign(new AggregateError([refused, refused]), { code: 'ECONNREFUSED' });
    expect(problemFromDatabaseError(everyAddress)?.code).toBe('service_unavailable');
    expect(databaseUnavailableReason(new AggregateError([refused]))).toBe('ECONNREFUSED');
  });

  it("maps pg's connect timeouts, from the pool and from the client", () => {
    expect(problemFromDatabaseError(new Error('timeout exceeded when trying to connect'))?.code).toBe(
      'service_unavailable',
    );
    expect(problemFromDatabaseError(new Error('Connection terminated due to connection timeout'))?.code).toBe(
      'service_unavailable',
    );
  });

  it('finds the reason in a wrapped error', () => {
    const wrapped = new Error('could not begin the transaction', {
      cause: pgError('53300', 'sorry, too many clients'),
    });
    expect(databaseUnavailableReason(wrapped)).toBe('53300');
  });

  it('leaves everything else alone: other SQLSTATEs, a lost connection whose COMMIT may have landed, our bugs', () => {
    for (const error of [
      pgError('42P01', 'relation "nope" does not exist'),
      pgError('40001', 'could not serialize access'),
      pgError('53200', 'out of memory'),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new Error('Connection terminated unexpectedly'),
      new Error('a timeout exceeded when trying to connect, said the test'),
      new TypeError('undefined is not a function'),
      'a string',
      null,
    ])
      expect(databaseUnavailableReason(error), String(error)).toBeUndefined();
    expect(problemFromDatabaseError(pgError('42P01', 'relation "nope" does not exist'))).toBeUndefined();
  });

  it('keeps mapping the constraints users can break', () => {
    const overlap = Object.assign(pgError('23P01', 'conflicting key value'), {
      constraint: 'bookings_therapist_no_overlap',
    });
    expect(problemFromDatabaseError(overlap)?.code).toBe('slot_unavailable');
  });
});
