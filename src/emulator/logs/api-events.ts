/**
 * The event operations of the Logs API: PutLogEvents, GetLogEvents (one stream, AWS's f/… and b/…
 * tokens) and FilterLogEvents (streams merged by timestamp, filter patterns, resumable tokens).
 */
import { compileFilterPattern } from './filter-pattern.js';
import { Params, decodeToken, encodeToken, invalidParameter, requireGroup, resourceNotFound } from './params.js';
import type { LogStore, LogStreamData } from './store.js';

/** A response is at most 1 MB of events, counted as AWS does: UTF-8 message bytes + 26 per event. */
const MAX_RESPONSE_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const MAX_EVENTS = 10_000;
const DAY_MS = 86_400_000;

/** PutLogEvents: appends a chronological batch to an existing stream. */
export function putLogEvents(store: LogStore, params: Params): Record<string, unknown> {
  const streamName = params.string('logStreamName', true, 512);
  const raw = params.objects('logEvents');
  if (!raw || raw.length === 0)
    throw invalidParameter(
      "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
  if (raw.length > MAX_EVENTS) throw invalidParameter(`A PutLogEvents batch holds at most ${MAX_EVENTS} events.`);
  let bytes = 0;
  const events = raw.map((event, k) => {
    const p = new Params(event);
    const timestamp = p.integer('timestamp', 0, Number.MAX_SAFE_INTEGER, true) as number;
    const message = p.string('message', true);
    if (k > 0 && timestamp < (raw[k - 1]?.timestamp as number)) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
    bytes += Buffer.byteLength(message) + EVENT_OVERHEAD;
    return { timestamp, message };
  });
  if (bytes > MAX_RESPONSE_BYTES)
    throw invalidParameter(`The batch of log events exceeds ${MAX_RESPONSE_BYTES} bytes.`);
  if ((events[events.length - 1]?.timestamp ?? 0) - (events[0]?.timestamp ?? 0) > DAY_MS) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const group = requireGroup(params, store);
  const stream = group.streams.get(streamName);
  if (!stream) throw resourceNotFound('The specified log stream does not exist.');
  store.append(group.name, stream.name, events);
  // Sequence tokens are ignored by AWS since 2023 but still returned; any opaque value will do.
  return { nextSequenceToken: String(stream.count).padStart(56, '0') };
}

const GET_TOKEN = /^([fb])\/(\d+)\/s$/;
const getToken = (direction: 'f' | 'b', position: number): string =>
  `${direction}/${String(position).padStart(56, '0')}/s`;

/**
 * GetLogEvents. Without a token it returns the newest events (or the oldest with startFromHead).
 * A forward page that finds nothing returns the token it was given, which is how the SDK's
 * paginator (with `stopOnSameToken`) knows it has reached the end.
 */
export function getLogEvents(store: LogStore, params: Params): Record<string, unknown> {
  // Like AWS, the whole input is validated before any resource is looked up.
  const streamName = params.string('logStreamName', true, 512);
  const startTime = params.integer('startTime', 0);
  const endTime = params.integer('endTime', 0);
  const limit = params.integer('limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const startFromHead = params.boolean('startFromHead') ?? false;
  const token = params.string('nextToken');
  const stream = requireGroup(params, store).streams.get(streamName);
  if (!stream) throw resourceNotFound('The specified log stream does not exist.');
  stream.ensureSorted();
  const lo = startTime === undefined ? 0 : stream.lowerBound(startTime);
  const hi = Math.max(lo, endTime === undefined ? stream.count : stream.lowerBound(endTime));
  let forward = startFromHead;
  let position = forward ? lo : hi;
  if (token !== undefined) {
    const m = GET_TOKEN.exec(token);
    if (!m) throw invalidParameter('The specified nextToken is invalid.');
    forward = m[1] === 'f';
    position = Math.min(hi, Math.max(lo, Number(m[2])));
  }
  let from = position;
  let to = position;
  let bytes = 0;
  if (forward) {
    while (to < hi && to - from < limit && (bytes += stream.bytes(to) + EVENT_OVERHEAD) <= MAX_RESPONSE_BYTES) to++;
  } else {
    while (from > lo && to - from < limit && (bytes += stream.bytes(from - 1) + EVENT_OVERHEAD) <= MAX_RESPONSE_BYTES)
      from--;
  }
  const events = [];
  for (let i = from; i < to; i++) events.push(stream.event(i));
  return { events, nextForwardToken: getToken('f', to), nextBackwardToken: getToken('b', from) };
}

interface FilterToken {
  t: number;
  s: string;
  i: number;
}

const isFilterToken = (v: unknown): v is FilterToken =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as FilterToken).t === 'number' &&
  typeof (v as FilterToken).s === 'string' &&
  typeof (v as FilterToken).i === 'number';

interface Cursor {
  stream: LogStreamData;
  index: number;
  end: number;
}

/** Orders cursors by (timestamp, stream name, index): the order FilterLogEvents returns events in. */
function before(a: Cursor, b: Cursor): boolean {
  const ta = a.stream.timestamp(a.index);
  const tb = b.stream.timestamp(b.index);
  if (ta !== tb) return ta < tb;
  if (a.stream.name !== b.stream.name) return a.stream.name < b.stream.name;
  return a.index < b.index;
}

/** FilterLogEvents: events of many streams, interleaved by time, matching a filter pattern. */
export function filterLogEvents(store: LogStore, params: Params): Record<string, unknown> {
  const names = params.strings('logStreamNames', 1, 100);
  const prefix = params.string('logStreamNamePrefix', false, 512);
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.');
  }
  const startTime = params.integer('startTime', 0);
  const endTime = params.integer('endTime', 0);
  const limit = params.integer('limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const matches = compileFilterPattern(params.string('filterPattern', false, 1024));
  const tokenText = params.string('nextToken');
  const token = tokenText === undefined ? undefined : decodeToken(tokenText, isFilterToken);
  params.boolean('interleaved'); // Deprecated: results are always interleaved.
  const group = requireGroup(params, store);

  let streams = group.streamsByName();
  if (names) streams = streams.filter((s) => names.includes(s.name));
  if (prefix !== undefined) streams = streams.filter((s) => s.name.startsWith(prefix));
  const heap: Cursor[] = [];
  for (const stream of streams) {
    stream.ensureSorted();
    let index = startTime === undefined ? 0 : stream.lowerBound(startTime);
    const end = endTime === undefined ? stream.count : stream.lowerBound(endTime, true);
    if (token) {
      // Resume just after the last event returned: same time, later stream name or index.
      const resume =
        stream.name < token.s
          ? stream.lowerBound(token.t, true)
          : stream.name === token.s
            ? Math.max(stream.lowerBound(token.t), token.i + 1)
            : stream.lowerBound(token.t);
      index = Math.max(index, resume);
    }
    if (index < end) push(heap, { stream, index, end });
  }

  const events: Record<string, unknown>[] = [];
  let bytes = 0;
  let last: FilterToken | undefined;
  while (heap.length > 0 && events.length < limit) {
    const cursor = heap[0] as Cursor;
    const { stream, index } = cursor;
    const message = stream.message(index);
    if (!matches || matches(message)) {
      bytes += stream.bytes(index) + EVENT_OVERHEAD;
      if (bytes > MAX_RESPONSE_BYTES && events.length > 0) break;
      const timestamp = stream.timestamp(index);
      events.push({
        logStreamName: stream.name,
        timestamp,
        message,
        ingestionTime: stream.ingestionTime(index),
        eventId: `${String(timestamp).padStart(16, '0')}${String(stream.serial).padStart(8, '0')}${String(index).padStart(12, '0')}`
      });
      last = { t: timestamp, s: stream.name, i: index };
    }
    cursor.index++;
    if (cursor.index < cursor.end) siftDown(heap, 0);
    else pop(heap);
  }
  const response: Record<string, unknown> = {
    events,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true }))
  };
  if (heap.length > 0 && last) response.nextToken = encodeToken(last);
  return response;
}

function push(heap: Cursor[], cursor: Cursor): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Cursor, heap[parent] as Cursor)) break;
    [heap[i], heap[parent]] = [heap[parent] as Cursor, heap[i] as Cursor];
    i = parent;
  }
}

function pop(heap: Cursor[]): void {
  const tail = heap.pop() as Cursor;
  if (heap.length === 0) return;
  heap[0] = tail;
  siftDown(heap, 0);
}

function siftDown(heap: Cursor[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let best = i;
    if (l < heap.length && before(heap[l] as Cursor, heap[best] as Cursor)) best = l;
    if (r < heap.length && before(heap[r] as Cursor, heap[best] as Cursor)) best = r;
    if (best === i) return;
    [heap[i], heap[best]] = [heap[best] as Cursor, heap[i] as Cursor];
    i = best;
  }
}
