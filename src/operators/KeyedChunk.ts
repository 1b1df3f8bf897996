import type { Observable, ObservedValueOf } from 'rxjs';

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
