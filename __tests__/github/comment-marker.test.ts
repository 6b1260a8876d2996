import { describe, expect, it } from '@jest/globals';
import { commentMarker, markerTime, parseMarkers } from '../../src/github/comment-marker.js';

const AT = '2026-03-01T12:00:00.000Z';

describe('commentMarker', () => {
  it('writes a hidden HTML comment naming the function and the time', () => {
    expect(commentMarker('orders-api', AT)).toBe(`<!-- lambda-cost-gate function="orders-api" updated="${AT}" -->`);
    expect(commentMarker('orders-api', new Date(AT))).toBe(commentMarker('orders-api', AT));
  });

  it('leaves ARNs readable', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live';
    expect(commentMarker(arn, AT)).toContain(`function="${arn}"`);
  });

  it.each(['evil" --><img src=x>', 'a--!>b', 'name with "quotes"', 'ünïcode %41'])(
    'escapes %j so the marker cannot be closed early, and reads it back',
    (name) => {
      const marker = commentMarker(name, AT);

      // Only the marker's own end closes the comment.
      expect(marker.indexOf('>')).toBe(marker.length - 1);
      expect(marker.match(/"/g)).toHaveLength(4);
      expect(parseMarkers(`text\n${marker}\nmore`)).toEqual([{ functionName: name, updated: AT }]);
    }
  );
});

describe('parseMarkers', () => {
  it('finds every marker of a body, and none in ordinary text', () => {
    const body = `${commentMarker('a', AT)}\n## Report\n${commentMarker('b', '2026-03-02T00:00:00Z')}`;
    expect(parseMarkers(body).map((m) => m.functionName)).toEqual(['a', 'b']);
    expect(parseMarkers('<!-- some other bot -->\nLooks fine')).toEqual([]);
  });

  it('ignores a marker whose escapes were mangled', () => {
    expect(parseMarkers(`<!-- lambda-cost-gate function="bad%E" updated="${AT}" -->`)).toEqual([]);
  });
});

describe('markerTime', () => {
  it('orders markers by time, with a non-date older than any', () => {
    expect(markerTime({ functionName: 'f', updated: AT })).toBe(Date.parse(AT));
    expect(markerTime({ functionName: 'f', updated: 'yesterday-ish' })).toBe(Number.NEGATIVE_INFINITY);
  });
});
