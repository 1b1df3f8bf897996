import { map, type Observable, type ObservedValueOf } from 'rxjs';

/** A value of a keyed set of streams, tagged with the key of the stream it came from. */
export interface KeyedChunk<K, T> {
  key: K;
  chunk: T;
}

/** Streams by position (an array) or by name (a record). */
export type StreamCollection = readonly Observable<unknown>[] | Readonly<Record<string, Observable<unknown>>>;

/**
 * The keyed values of a `StreamCollection`: for an array, `{ key: number, chunk }`; for a
 * record, one `{ key: 'name', chunk }` member per stream, typed with that stream's values.
 */
export type KeyedChunkOf<S extends StreamCollection> = S extends readonly Observable<unknown>[]
  ? KeyedChunk<number, ObservedValueOf<S[number]>>
  : { [K in keyof S & string]: KeyedChunk<K, ObservedValueOf<S[K]>> }[keyof S & string];

/** Each stream of the collection, its values tagged with its key, in key order. */
export function keyedStreams<S extends StreamCollection>(streams: S): Observable<KeyedChunkOf<S>>[] {
  const entries: [string | number, Observable<unknown>][] = Array.isArray(streams)
    ? streams.map((stream, index) => [index, stream])
    : Object.entries(streams);
  return entries.map(([key, stream]) => stream.pipe(map((chunk) => ({ key, chunk }) as KeyedChunkOf<S>)));
}
