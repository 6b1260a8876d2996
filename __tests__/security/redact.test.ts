/**
 * What counts as a secret, what is masked and what is registered with the runner; and that the one
 * failure path (errorMessage) and the kept error type mask them.
 */
import { describe, expect, it } from '@jest/globals';
import { errorMessage, AwsCallError } from '../../src/errors.js';
import { findSecrets, maskSecretsIn, MASK, redact } from '../../src/security/redact.js';
import { classify } from '../../src/sweep/classify.js';

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SESSION_KEY = 'ASIAY34FZKBOKMUTVV7A';
const GITHUB = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const FINE_GRAINED = 'github_pat_11ABCDEFG0' + '123456789_abcdefghijklmnopqrstuvwxyz';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

/** Tried inputs: the text, and the secrets in it (what must disappear). */
const SECRET_CASES: Array<{ text: string; secrets: string[] }> = [
  { text: `login failed with ${AWS_KEY}`, secrets: [AWS_KEY] },
  { text: `temporary ${SESSION_KEY} expired`, secrets: [SESSION_KEY] },
  { text: '{"password":"hunter2","user":"app"}', secrets: ['hunter2'] },
  { text: '{"dbPassword": "p@ss w0rd"}', secrets: ['p@ss w0rd'] },
  { text: 'error {\\"client_secret\\":\\"s3cr3t!\\"}', secrets: ['s3cr3t!'] },
  { text: "{'apiKey': 'k-123456'}", secrets: ['k-123456'] },
  {
    text: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secrets: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']
  },
  { text: 'GET /orders?access_token=abc123def&page=2', secrets: ['abc123def'] },
  { text: 'X-Api-Key: abcd1234xyz; retrying', secrets: ['abcd1234xyz'] },
  { text: 'Authorization: Bearer abc.def.ghi-jkl', secrets: ['abc.def.ghi-jkl'] },
  { text: 'header Authorization: Basic dXNlcjpwYXNz', secrets: ['dXNlcjpwYXNz'] },
  { text: `push with ${GITHUB} failed`, secrets: [GITHUB] },
  { text: `token ${FINE_GRAINED}`, secrets: [FINE_GRAINED] },
  { text: `session ${JWT}`, secrets: [JWT] },
  { text: 'connect postgres://app:pa55word@db.internal:5432/orders', secrets: ['pa55word'] },
  {
    text: 'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq8xyz==\n-----END RSA PRIVATE KEY----- end',
    secrets: ['MIIEowIBAAKCAQEA', 'q8xyz==']
  },
  { text: 'truncated -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq', secrets: ['MIIEvQIBADANBgkq'] }
];

/** Text that holds no secret and must come out unchanged (our own messages, Lambda's error types). */
const HARMLESS_CASES = [
  'Runtime.OutOfMemory',
  'Sandbox.Timedout',
  'TokenExpiredError',
  'Could not read function orders',
  'Invalid input "github-token": got ""; allowed: a token with pull-requests: write',
  'Unexpected token: } in JSON at position 4',
  '{"token": null, "apiKey": ""}',
  'cost per invocation rose 6.8 % (95 % CI +5.5 % to +8.2 %)',
  'arn:aws:lambda:eu-west-1:123456789012:function:orders:7'
];

describe('redact', () => {
  it.each(SECRET_CASES)('masks every secret in %j', ({ text, secrets }) => {
    const masked = redact(text);
    for (const secret of secrets) expect(masked).not.toContain(secret);
    expect(masked).toContain(MASK);
  });

  it.each(HARMLESS_CASES)('leaves %j as it is', (text) => {
    expect(redact(text)).toBe(text);
    expect(findSecrets(text)).toEqual([]);
  });

  it('keeps the key and the shape around a masked value, so the message still reads', () => {
    expect(redact('{"password":"hunter2","user":"app"}')).toBe('{"password":"***","user":"app"}');
    expect(redact('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer ***');
    expect(redact(`denied for ${AWS_KEY}.`)).toBe('denied for ***.');
  });
});

describe('maskSecretsIn', () => {
  it('registers each secret once, a private key line by line, and returns the masked text', () => {
    const registered: string[] = [];
    const text = `${AWS_KEY} password=hunter2 ${AWS_KEY} -----BEGIN PRIVATE KEY-----\nAAAAline1\nBBBBline2\n-----END PRIVATE KEY-----`;

    const masked = maskSecretsIn(text, (secret) => registered.push(secret));

    expect(registered).toEqual(['AAAAline1', 'BBBBline2', AWS_KEY, 'hunter2']);
    expect(masked).toBe('*** password=*** *** ***');
  });

  it('does not register values too short to mask safely across a whole log', () => {
    const registered: string[] = [];
    expect(maskSecretsIn('password=abc', (secret) => registered.push(secret))).toBe('password=***');
    expect(registered).toEqual([]);
  });
});

describe('where function and AWS text is kept', () => {
  it('masks secrets in every failure message, causes included', () => {
    const cause = new Error(
      'Lambda was unable to configure your environment variables: {"DB_PASSWORD":"hunter2","KEY":"' + AWS_KEY + '"}'
    );
    const message = errorMessage(new AwsCallError('update the configuration of function orders', cause));
    expect(message).toBe(
      'Could not update the configuration of function orders: Lambda was unable to configure your environment ' +
        'variables: {"DB_PASSWORD":"***","KEY":"***"}'
    );
  });

  it('registers what it masks in a failure message with the runner, when asked to', () => {
    const registered: string[] = [];
    const error = new AwsCallError('invoke orders:3', new Error(`denied for ${AWS_KEY}`));
    expect(errorMessage(error, (secret) => registered.push(secret))).toBe('Could not invoke orders:3: denied for ***');
    expect(registered).toEqual([AWS_KEY]);
  });

  it("keeps only the function's error type, masked and cut to a name's length; never its message", () => {
    const body = JSON.stringify({
      errorType: `LeakError ${AWS_KEY} password=hunter2 ${'x'.repeat(300)}`,
      errorMessage: `could not log in as app with password hunter2 and key ${AWS_KEY}`
    });
    const sample = classify({
      memoryMb: 128,
      plannedVersion: '3',
      payloadIndex: 0,
      phase: 'measure',
      outcome: { functionError: 'Unhandled', payload: new TextEncoder().encode(body) },
      report: undefined,
      reportSource: 'none',
      roundTripMs: 10,
      startedAt: 0
    });
    const kept = JSON.stringify(sample);
    expect(sample.error).toBe('unhandled');
    expect(sample.errorType).toMatch(/^LeakError \*\*\* password=\*\*\* x+…$/);
    expect(sample.errorType!.length).toBe(120);
    for (const secret of [AWS_KEY, 'hunter2', 'could not log in']) expect(kept).not.toContain(secret);
  });
});
