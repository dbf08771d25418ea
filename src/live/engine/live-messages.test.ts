import { describe, expect, it } from 'vitest';
import { overCapProblem, parseClientFrame } from './live-messages.js';
import { checkoutAlertAt, isCheckoutOverdue } from './checkout-watch.js';

describe('parseClientFrame', () => {
  it('accepts the client’s feedback and discomfort, and the therapist’s pressure', () => {
    expect(
      parseClientFrame(
        JSON.stringify({ type: 'signal', clientMessageId: 'c-1', kind: 'less', region: 'calves.left' }),
        'client',
      ),
    ).toEqual({
      frame: { type: 'signal', clientMessageId: 'c-1', kind: 'less', region: 'calves.left' },
    });
    expect(
      parseClientFrame(JSON.stringify({ type: 'discomfort', clientMessageId: 'c-2', level: 0 }), 'client'),
    ).toHaveProperty('frame');
    expect(
      parseClientFrame(
        JSON.stringify({ type: 'pressure', clientMessageId: 't-1', region: 'neck.right', level: 5 }),
        'therapist',
      ),
    ).toHaveProperty('frame');
    expect(parseClientFrame(JSON.stringify({ type: 'resume', lastSeq: 12 }), 'therapist')).toEqual({
      frame: { type: 'resume', lastSeq: 12 },
    });
  });

  it.each([
    ['not JSON', '{"type":', 'client', { code: 'malformed_json' }],
    ['an unknown type', '{"type":"shout"}', 'client', { code: 'validation_failed', field: 'type' }],
    [
      'discomfort above 10',
      '{"type":"discomfort","clientMessageId":"a","level":11}',
      'client',
      { code: 'validation_failed', field: 'level', clientMessageId: 'a' },
    ],
    [
      'a fractional discomfort',
      '{"type":"discomfort","clientMessageId":"a","level":2.5}',
      'client',
      { code: 'validation_failed', field: 'level' },
    ],
    [
      'an unknown kind',
      '{"type":"signal","clientMessageId":"a","kind":"harder"}',
      'client',
      { code: 'validation_failed', field: 'kind' },
    ],
    [
      'a region not on the body map',
      '{"type":"signal","clientMessageId":"a","kind":"good","region":"tail"}',
      'client',
      { code: 'validation_failed', field: 'region' },
    ],
    [
      'a side on a midline region',
      '{"type":"signal","clientMessageId":"a","kind":"good","region":"abdomen.left"}',
      'client',
      { code: 'validation_failed', field: 'region' },
    ],
    [
      'an unknown field',
      '{"type":"signal","clientMessageId":"a","kind":"good","extra":1}',
      'client',
      { code: 'validation_failed' },
    ],
    [
      'no message id',
      '{"type":"signal","kind":"good"}',
      'client',
      { code: 'validation_failed', field: 'clientMessageId' },
    ],
    [
      'pressure 6',
      '{"type":"pressure","clientMessageId":"a","region":"neck.left","level":6}',
      'therapist',
      { code: 'validation_failed', field: 'level' },
    ],
    [
      'pressure from the client',
      '{"type":"pressure","clientMessageId":"a","region":"neck.left","level":3}',
      'client',
      { code: 'forbidden' },
    ],
    [
      'feedback from the therapist',
      '{"type":"signal","clientMessageId":"a","kind":"good"}',
      'therapist',
      { code: 'forbidden' },
    ],
    [
      'a negative resume point',
      '{"type":"resume","lastSeq":-1}',
      'client',
      { code: 'validation_failed', field: 'lastSeq' },
    ],
    [
      'a reason of a few letters',
      '{"type":"pressure","clientMessageId":"a","region":"front_of_neck","level":5,"reason":"ok"}',
      'therapist',
      { code: 'validation_failed', field: 'reason' },
    ],
  ] as const)('refuses %s', (_name, raw, role, problem) => {
    const result = parseClientFrame(raw, role);
    expect(result).toHaveProperty('problem');
    expect('problem' in result && result.problem).toMatchObject(problem);
  });
});

describe('overCapProblem', () => {
  const limits = { caps: { front_of_neck: 1 as const, 'calves.left': 3 as const }, excluded: ['feet.left'] };
  const pressure = (region: string, level: number, reason?: string) => ({
    type: 'pressure' as const,
    clientMessageId: 't-9',
    region,
    level,
    ...(reason ? { reason } : {}),
  });

  it('refuses pressure above a region’s cap without a reason, naming the reason field, in the therapist’s words', () => {
    expect(overCapProblem(pressure('front_of_neck', 5), limits)).toEqual({
      code: 'exceedance_reason_required',
      field: 'reason',
      clientMessageId: 't-9',
      message:
        'Screening caps Front of the neck at 1 (light) for this client: confirm and give a reason (at least 10 characters) to go to 5',
    });
    expect(overCapProblem(pressure('feet.left', 1), limits)).toMatchObject({
      field: 'reason',
      message: expect.stringMatching(/leave Foot, left out/),
    });
  });

  it('lets pressure within the cap, elsewhere, or with a reason through', () => {
    expect(overCapProblem(pressure('front_of_neck', 1), limits)).toBeNull();
    expect(overCapProblem(pressure('calves.left', 3), limits)).toBeNull();
    expect(overCapProblem(pressure('hamstrings.left', 5), limits)).toBeNull();
    expect(overCapProblem(pressure('front_of_neck', 5, 'Client asked, pulse checked first'), limits)).toBeNull();
  });
});

describe('overdue check-out', () => {
  const endsAt = Date.parse('2026-11-24T16:00:00Z');
  it('is due the configured minutes after the planned end, only while still checked in', () => {
    expect(checkoutAlertAt(endsAt, 15)).toBe(endsAt + 15 * 60_000);
    expect(isCheckoutOverdue({ status: 'checked_in', endsAt }, 15, endsAt + 15 * 60_000 - 1)).toBe(false);
    expect(isCheckoutOverdue({ status: 'checked_in', endsAt }, 15, endsAt + 15 * 60_000)).toBe(true);
    expect(isCheckoutOverdue({ status: 'completed', endsAt }, 15, endsAt + 60 * 60_000)).toBe(false);
  });
});
