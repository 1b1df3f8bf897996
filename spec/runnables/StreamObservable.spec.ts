import { Observable, of, map } from 'rxjs';
import { StreamObservable } from '../../src/index.js';

describe('StreamObservable', () => {
  it('is an Observable and an AsyncIterable', async () => {
    const stream = new StreamObservable<number>((s) => {
      s.next(1);
      s.next(2);
      s.complete();
    });
    const pushed: number[] = [];
    stream.subscribe((v) => pushed.push(v));
    const pulled: number[] = [];
    for await (const v of stream) pulled.push(v);
    expect([pushed, pulled]).toEqual([[1, 2], [1, 2]]);
  });

  it('pipes into plain Observables', async () => {
    const doubled = StreamObservable.from(of(1, 2)).pipe(map((n) => n * 2));
    const seen: number[] = [];
    doubled.subscribe((v) => seen.push(v));
    expect(seen).toEqual([2, 4]);
  });

  it('from() keeps an existing StreamObservable', () => {
    const stream = new StreamObservable<number>();
    expect(StreamObservable.from(stream)).toBe(stream);
    expect(StreamObservable.from(new Observable<number>())).toBeInstanceOf(StreamObservable);
  });
});
