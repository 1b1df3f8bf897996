import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { StreamGoneError } from '../../src/errors/errors.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { MemoryReplayStore } from '../../src/node/MemoryReplayStore.js';
import type { StoredFrame } from '../../src/node/ReplayStore.js';
import { createTestScheduler } from '../support/marbles.js';

const frame = (runId: string, seq: number): StoredFrame => ({ id: `${runId}:${seq}`, seq, text: `id: ${runId}:${seq}\ndata: ${seq}\n\n` });
const seqs = async (frames: Observable<StoredFrame>) => (await lastValueFrom(frames.pipe(toArray()))).map((f) => f.seq);
const append = (store: MemoryReplayStore, runId: string, ...numbers: number[]) => numbers.forEach((seq) => store.append(runId, frame(runId, seq)).subscribe());

describe('MemoryReplayStore', () => {
  it('reads the frames after a sequence number, then follows the live run until it ends', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const store = new MemoryReplayStore();
      store.open('r').subscribe();
      append(store, 'r', 1, 2, 3);
      cold('--a-b-(e|)').subscribe((step) => (step === 'e' ? store.end('r').subscribe() : append(store, 'r', step === 'a' ? 4 : 5)));
      expectObservable(store.read('r', 2)).toBe('c-d-e-|', { c: frame('r', 3), d: frame('r', 4), e: frame('r', 5) });
    });
  });

  it('lets a reader attach to an opened run before its first frame', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const store = new MemoryReplayStore();
      store.open('r').subscribe();
      cold('---a-(e|)').subscribe((step) => (step === 'e' ? store.end('r').subscribe() : append(store, 'r', 1)));
      expectObservable(store.read('r', 0)).toBe('---a-|', { a: frame('r', 1) });
    });
  });

  it('keeps at most maxEvents frames across runs, the oldest going first, and a gap is a StreamGoneError', async () => {
    const store = new MemoryReplayStore({ maxEvents: 4 });
    append(store, 'a', 1, 2, 3);
    append(store, 'b', 1, 2, 3);
    store.end('a').subscribe();
    store.end('b').subscribe();
    expect(store.size).toBe(4);
    expect(await seqs(store.read('a', 2))).toEqual([3]);
    await expect(seqs(store.read('a', 1))).rejects.toEqual(new StreamGoneError('a', 'a:1'));
    expect(await seqs(store.read('b', 0))).toEqual([1, 2, 3]);
  });

  it('forgets frames older than maxAgeMs, and a run idle that long (time read from its scheduler)', () => {
    const clock = { now: 0 };
    const store = new MemoryReplayStore({ maxAgeMs: 10, scheduler: { now: () => clock.now, schedule: () => { throw new Error('unused'); } } });
    append(store, 'r', 1, 2);
    clock.now = 5;
    append(store, 'r', 3);
    store.end('r').subscribe();
    clock.now = 12;
    const gone: unknown[] = [];
    store.read('r', 0).subscribe({ error: (error) => gone.push(error) });
    expect(gone).toEqual([new StreamGoneError('r')]);
    const kept: number[] = [];
    store.read('r', 2).subscribe((f) => kept.push(f.seq));
    expect(kept).toEqual([3]);
    clock.now = 30;
    const unknown: unknown[] = [];
    store.read('r', 3).subscribe({ error: (error) => unknown.push(error) });
    expect(unknown).toEqual([new StreamGoneError('r', 'r:3')]);
    expect(store.size).toBe(0);
  });

  it('answers an unknown run with StreamGoneError', async () => {
    await expect(seqs(new MemoryReplayStore().read('nope', 0))).rejects.toBeInstanceOf(StreamGoneError);
  });

  it('carries a stop request to whoever listens for that run, once', () => {
    const store = new MemoryReplayStore();
    const stops: string[] = [];
    store.stopRequests('a').subscribe({ next: () => stops.push('a'), complete: () => stops.push('a done') });
    store.stopRequests('b').subscribe(() => stops.push('b'));
    store.stop('a').subscribe();
    store.stop('a').subscribe();
    expect(stops).toEqual(['a', 'a done']);
  });

  it('unsubscribing a reader leaves the run and its other readers alone', () => {
    const store = new MemoryReplayStore();
    store.open('r').subscribe();
    const first: number[] = [];
    const second: number[] = [];
    const leaving = store.read('r', 0).subscribe((f) => first.push(f.seq));
    store.read('r', 0).subscribe((f) => second.push(f.seq));
    append(store, 'r', 1);
    leaving.unsubscribe();
    append(store, 'r', 2);
    expect([first, second]).toEqual([[1], [1, 2]]);
  });

  it('checks its limits where they are given', () => {
    expect(() => new MemoryReplayStore({ maxEvents: 0 })).toThrow(InvalidOptionError);
    expect(() => new MemoryReplayStore({ maxAgeMs: 0 })).toThrow(InvalidOptionError);
  });
});
