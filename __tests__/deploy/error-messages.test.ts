/** What a user reads when cleanup or a wait fails: each cause once, and no raw waiter state. */
import { describe, expect, it } from '@jest/globals';
import { CleanupError, WaitTimeoutError } from '../../src/deploy/errors.js';
import { errorMessage } from '../../src/errors.js';

describe('deploy error messages', () => {
  it('names each item cleanup left, with its cause once and the command to remove it', () => {
    const message = errorMessage(
      new CleanupError([
        {
          item: 'version 7 of orders',
          manual: 'aws lambda delete-function --function-name orders:7',
          error: new Error('Rate exceeded')
        }
      ])
    );
    expect(message.match(/Rate exceeded/g)).toHaveLength(1);
    expect(message).toContain('fix by hand: aws lambda delete-function --function-name orders:7');
  });

  it('says what did not settle and how long it waited, without the waiter state as JSON', () => {
    const waiter = new Error(JSON.stringify({ state: 'TIMEOUT', reason: 'Waiter has timed out' }));
    const message = errorMessage(new WaitTimeoutError('The update of orders', 300, waiter));
    expect(message).toBe('The update of orders did not settle within 300 s');
  });
});
