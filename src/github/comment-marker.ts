/**
 * The hidden marker that identifies the action's comment for one function and says when its content
 * was measured: `<!-- lambda-cost-gate function="NAME" updated="ISO" -->`.
 */

/** A parsed marker. */
export interface CommentMarker {
  functionName: string;
  /** As written; compare with {@link markerTime}. */
  updated: string;
}

// Characters left as they are: everything in Lambda names and ARNs. Anything else is %-escaped, which
// keeps `"` from ending the attribute and `>` from ending the HTML comment (`-->`, `--!>`).
const PLAIN = /[A-Za-z0-9._:/@+=,-]/;
const MARKER_PATTERN = /<!-- lambda-cost-gate function="([^"<>]*)" updated="([^"<>]*)" -->/g;

/**
 * The marker for a function's comment; the renderer puts it into the body.
 *
 * @example
 * ```ts
 * commentMarker('orders-api', '2026-03-01T12:00:00.000Z');
 * // '<!-- lambda-cost-gate function="orders-api" updated="2026-03-01T12:00:00.000Z" -->'
 * ```
 */
export function commentMarker(functionName: string, updatedAt: string | Date): string {
  const updated = typeof updatedAt === 'string' ? updatedAt : updatedAt.toISOString();
  return `<!-- lambda-cost-gate function="${escapeName(functionName)}" updated="${escapeName(updated)}" -->`;
}

/**
 * Every marker in a comment body, names unescaped. A body normally holds one.
 *
 * @example
 * ```ts
 * parseMarkers(body).find((m) => m.functionName === 'orders-api');
 * ```
 */
export function parseMarkers(body: string): CommentMarker[] {
  const markers: CommentMarker[] = [];
  for (const match of body.matchAll(MARKER_PATTERN)) {
    const functionName = unescapeName(match[1] ?? '');
    const updated = unescapeName(match[2] ?? '');
    if (functionName !== undefined && updated !== undefined) markers.push({ functionName, updated });
  }
  return markers;
}

/**
 * A marker's time in ms since the epoch; -Infinity when it is not a date (such a comment is older than any).
 *
 * @example
 * ```ts
 * markerTime({ functionName: 'f', updated: '2026-03-01T12:00:00Z' }); // 1772366400000
 * ```
 */
export function markerTime(marker: CommentMarker): number {
  const time = Date.parse(marker.updated);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function escapeName(value: string): string {
  let out = '';
  for (const char of value) {
    out += PLAIN.test(char)
      ? char
      : [...new TextEncoder().encode(char)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** Undefined for a malformed escape: a hand-edited marker is not ours to trust. */
function unescapeName(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    // Malformed %-sequence: the marker is ignored rather than misread.
    return undefined;
  }
}
