import { Observable, interval, lastValueFrom, map, take, toArray } from 'rxjs';
import { StreamGoneError } from '../../src/errors/errors.js';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { MemoryReplayStore } from '../../src/node/MemoryReplayStore.js';
import { sseEndpoint } from '../../src/node/sseEndpoint.js';
import { fromServerSentEvents } from '../../src/sse/fromServerSentEvents.js';
import { weatherAgent } from '../sse/support/recordedRun.js';
import { startEndpointServer, type EndpointServer } from './support/startEndpointServer.js';
import { frameIds, rawRequest, waitFor } from './support/requests.js';

describe('sseEndpoint: resume', () => {
  let server: EndpointServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('resumes a recorded run at every frame boundary with exactly the frames after Last-Event-ID, each once', async () => {
    server = await startEndpointServer(sseEndpoint(() => weatherAgent().streamEvents('Weather in Paris?'), { replay: true }));
    const whole = await rawRequest(server.url, { body: '{}' });
    const runId = whole.headers['x-run-id'] as string;
    const ids = frameIds(whole.body);
    expect(ids.length).toBeGreaterThan(20);
    const frames = whole.body.split('\n\n').filter((frame) => frame.startsWith('id: '));
    for (let seq = 0; seq <= ids.length; seq++) {
      const headers: Record<string, string> = seq === 0 ? {} : { 'last-event-id': `${runId}:${seq}` };
      // Both ways of resuming: the same POST with Last-Event-ID, and GET <url>/<runId> (what EventSource does).
      const viaPost = seq === 0 ? undefined : await rawRequest(server.url, { body: '{}', headers });
      const viaGet = await rawRequest(`${server.url}/${encodeURIComponent(runId)}`, { method: 'GET', headers });
      for (const answer of [viaPost, viaGet]) {
        if (!answer) continue;
        expect(frameIds(answer.body)).toEqual(ids.slice(seq));
        expect(answer.body.split('\n\n').filter((frame) => frame.startsWith('id: '))).toEqual(frames.slice(seq));
      }
    }
  });

  it('reconnects a client whose connection broke mid-stream and delivers every event exactly once, in order', async () => {
    const source = () => interval(3).pipe(take(40), map((i) => ({ n: i })));
    server = await startEndpointServer(sseEndpoint(source, { replay: true }));
    const values: Array<{ n: number }> = [];
    const done = lastValueFrom(fromServerSentEvents<{ n: number }>(server.url, { body: {}, reconnect: { initialDelayMs: 5 } }).pipe(map((value) => values.push(value)), toArray()));
    // Cut the client off twice, at the socket, while the run goes on.
    for (const after of [8, 20]) {
      await waitFor(() => values.length >= after);
      for (const socket of server.sockets) socket.destroy();
    }
    await done;
    expect(values.map((value) => value.n)).toEqual([...Array(40).keys()]);
  });

  it('answers a resume of an unknown run, or of frames no longer kept, with StreamGoneError', async () => {
    const store = new MemoryReplayStore({ maxEvents: 5 });
    server = await startEndpointServer(sseEndpoint(() => [1, 2, 3, 4, 5, 6, 7, 8], { replay: { store } }));
    const whole = await rawRequest(server.url, { body: '{}' });
    const runId = whole.headers['x-run-id'] as string;
    // Nine frames (eight values and the end), five kept: frames 5–9. Resuming after 4 still works, after 2 does not.
    expect(frameIds((await rawRequest(`${server.url}/${runId}`, { method: 'GET', headers: { 'last-event-id': `${runId}:4` } })).body)).toHaveLength(5);
    const gone = fromServerSentEvents(server.url, { body: {}, headers: { 'last-event-id': `${runId}:2` } });
    await expect(lastValueFrom(gone)).rejects.toBeInstanceOf(StreamGoneError);
    await expect(lastValueFrom(fromServerSentEvents(`${server.url}/nope`))).rejects.toMatchObject({ name: 'StreamGoneError', runId: 'nope' });
  });

  it('cannot resume without replay: the answer is a StreamGoneError frame', async () => {
    server = await startEndpointServer(sseEndpoint(() => [1]));
    await expect(lastValueFrom(fromServerSentEvents(`${server.url}/some-run`))).rejects.toBeInstanceOf(StreamGoneError);
  });

  it('lets a browser-style GET follow a live run from its start, and a stop reaches it', async () => {
    let unsubscribed = false;
    const endless = () => new Observable<StreamEvent | number>((subscriber) => {
      const subscription = interval(3).subscribe((n) => subscriber.next(n));
      return () => {
        subscription.unsubscribe();
        unsubscribed = true;
      };
    });
    server = await startEndpointServer(sseEndpoint(endless, { replay: true }));
    const starter = await fetch(server.url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const runId = starter.headers.get('x-run-id')!;
    await starter.body!.cancel();
    const follower = fromServerSentEvents<number>(`${server.url}/${runId}`);
    const seen: number[] = [];
    const done = lastValueFrom(follower.pipe(map((n) => seen.push(n)), toArray()));
    await waitFor(() => seen.length >= 5);
    await follower.stop();
    await done;
    expect(unsubscribed).toBe(true);
    expect(seen.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });
});
