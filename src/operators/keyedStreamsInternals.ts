import { map, type Observable } from 'rxjs';
import type { KeyedChunkOf, StreamCollection } from './KeyedChunk.js';

/** Each stream of the collection, its values tagged with its key, in key order. */
export function keyedStreams<S extends StreamCollection>(streams: S): Observable<KeyedChunkOf<S>>[] {
  const entries: [string | number, Observable<unknown>][] = Array.isArray(streams)
    ? streams.map((stream, index) => [index, stream])
    : Object.entries(streams);
  return entries.map(([key, stream]) => stream.pipe(map((chunk) => ({ key, chunk }) as KeyedChunkOf<S>)));
}
