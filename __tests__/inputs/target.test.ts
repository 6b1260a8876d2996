import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { resolveTarget } from '../../src/inputs/target.js';

describe('resolveTarget', () => {
  it.each([
    ['orders', undefined, { functionName: 'orders' }],
    ['123456789012:function:orders', undefined, { functionName: '123456789012:function:orders' }],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      undefined,
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', region: 'eu-west-1' }
    ],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      'eu-west-1',
      { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', region: 'eu-west-1' }
    ]
  ])('resolves %s (region %s)', (raw, region, expected) => {
    expect(resolveTarget(raw, region)).toEqual(expected);
  });

  it.each([
    ['orders:live', 'e.g. "orders"'],
    ['orders:$LATEST', 'e.g. "orders"'],
    ['123456789012:function:orders:3', 'e.g. "123456789012:function:orders"'],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:orders:prod',
      'e.g. "arn:aws:lambda:us-east-1:123456789012:function:orders"'
    ]
  ])('refuses the qualified %s and shows the unqualified form', (raw, hint) => {
    expect(() => resolveTarget(raw, undefined)).toThrow(InputError);
    expect(() => resolveTarget(raw, undefined)).toThrow(hint);
  });

  it('refuses a region that contradicts the ARN', () => {
    expect(() => resolveTarget('arn:aws:lambda:eu-west-1:123456789012:function:orders', 'us-east-1')).toThrow(
      'Invalid input "aws-region": got "us-east-1"; allowed: empty or eu-west-1'
    );
  });
});
