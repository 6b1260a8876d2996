import { describe, expect, it } from '@jest/globals';
import { AwsCallError, InputError, LambdaCostGateError, errorMessage } from '../src/errors.js';

describe('typed errors', () => {
  it('LambdaCostGateError keeps its name and cause', () => {
    // Prepare
    const cause = new Error('root');

    // Act
    const error = new LambdaCostGateError('outer', { cause });

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LambdaCostGateError');
    expect(error.message).toBe('outer');
    expect(error.cause).toBe(cause);
  });

  it('InputError names the input, the value and what is allowed', () => {
    const error = new InputError('max-attempts', '0', 'a whole number from 1 to 10');

    expect(error).toBeInstanceOf(LambdaCostGateError);
    expect(error.name).toBe('InputError');
    expect(error.input).toBe('max-attempts');
    expect(error.value).toBe('0');
    expect(error.allowed).toBe('a whole number from 1 to 10');
    expect(error.message).toBe('Invalid input "max-attempts": got "0"; allowed: a whole number from 1 to 10');
  });

  it('AwsCallError says what the action was doing and keeps the SDK error', () => {
    const cause = new Error('Function not found');

    const error = new AwsCallError('read the configuration of function f', cause);

    expect(error.name).toBe('AwsCallError');
    expect(error.doing).toBe('read the configuration of function f');
    expect(error.message).toBe('Could not read the configuration of function f');
    expect(error.cause).toBe(cause);
  });
});

describe('errorMessage', () => {
  it('appends every cause', () => {
    const error = new AwsCallError('do a thing', new LambdaCostGateError('middle', { cause: new Error('root') }));

    expect(errorMessage(error)).toBe('Could not do a thing: middle: root');
  });

  it('says a repeated message once', () => {
    expect(errorMessage(new Error('same', { cause: new Error('same') }))).toBe('same');
  });

  it('uses the name of an error without a message', () => {
    const error = new Error('');
    error.name = 'AccessDeniedException';

    expect(errorMessage(error)).toBe('AccessDeniedException');
  });

  it('stops following causes after a few levels, even in a cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });

    expect(errorMessage(a)).toBe('a: b: a: b: a: b');
  });

  it.each([
    ['a string', 'plain text', 'plain text'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'Unknown error'],
    ['an empty string', '', 'Unknown error'],
    ['an object with a message', { message: 'from a plain object' }, 'from a plain object'],
    ['an object without a message', { code: 7 }, '{"code":7}'],
    ['a symbol', Symbol('s'), 'Symbol(s)']
  ])('handles %s', (_label, thrown, expected) => {
    expect(errorMessage(thrown)).toBe(expected);
  });

  it('handles an object that cannot be serialised', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    expect(errorMessage(circular)).toBe('[object Object]');
  });
});
