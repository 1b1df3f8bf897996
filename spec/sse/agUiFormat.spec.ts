import { HttpAgent, verifyEvents, type BaseEvent } from '@ag-ui/client';
import { concat, of, throwError } from 'rxjs';
import { ProviderError } from '../../src/errors/errors.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { agUiFormat } from '../../src/sse/agUiFormat.js';
import { fetchAnswering, sseBody, weatherEvents } from './support/recordedRun.js';

const input = { threadId: 'thread-1', runId: 'run-1', messages: [], tools: [], context: [], state: {}, forwardedProps: {} };

/** The events AG-UI's own HttpAgent reads from a body, through its event verifier. */
function readWithAgUi(body: string): Promise<BaseEvent[]> {
  const agent = new HttpAgent({ url: 'http://127.0.0.1/agent', fetch: fetchAnswering(body) });
  // Subscribed by hand: @ag-ui/client brings its own copy of rxjs, whose operator types differ from ours.
  return new Promise((resolve, reject) => {
    const events: BaseEvent[] = [];
    agent.run(input).pipe(verifyEvents()).subscribe({ next: (event) => events.push(event), error: reject, complete: () => resolve(events) });
  });
}

describe("agUiFormat ('ag-ui')", () => {
  it('is accepted by the AG-UI verifier, and HttpAgent builds the assistant message, tool call and tool result', async () => {
    const body = await sseBody(await weatherEvents(), 'ag-ui');
    const events = await readWithAgUi(body);
    expect(events[0]).toMatchObject({ type: 'RUN_STARTED', runId: 'run-1' });
    expect(events[events.length - 1]).toMatchObject({ type: 'RUN_FINISHED', runId: 'run-1' });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining([
      'REASONING_START', 'REASONING_MESSAGE_CONTENT', 'TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT',
      'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END',
    ]));

    const agent = new HttpAgent({ url: 'http://127.0.0.1/agent', fetch: fetchAnswering(body), threadId: 'thread-1' });
    const { newMessages } = await agent.runAgent({ runId: 'run-1' });
    const assistant = newMessages.filter((message) => message.role === 'assistant');
    expect(assistant.flatMap((message) => (message as { toolCalls?: unknown[] }).toolCalls ?? [])).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect(assistant.map((message) => message.content).filter(Boolean)).toEqual(['It is 18 degrees in Paris.']);
    expect(newMessages.find((message) => message.role === 'tool')).toMatchObject({ toolCallId: 'call_1', content: '{"city":"Paris","temperature":18}' });
  });

  it('sends other values as the run state: a snapshot, then patches the agent applies', async () => {
    const body = await sseBody([{ title: 'Str' }, { title: 'Stream', tags: ['rx'] }], 'ag-ui');
    const events = await readWithAgUi(body);
    expect(events.map((event) => event.type)).toEqual(['RUN_STARTED', 'STATE_SNAPSHOT', 'STATE_DELTA', 'RUN_FINISHED']);
    const agent = new HttpAgent({ url: 'http://127.0.0.1/agent', fetch: fetchAnswering(body) });
    await agent.runAgent({ runId: 'run-1' });
    expect(agent.state).toEqual({ title: 'Stream', tags: ['rx'] });
  });

  it('ends a failed run with RUN_ERROR: the masked message, the class as code and the typed error', async () => {
    const failing = concat(of(new AIMessageChunk('partial')), throwError(() => new ProviderError('Bad key sk-proj-abcdefghijklmnop', { status: 401 })));
    const body = await sseBody(failing, 'ag-ui');
    expect(body).not.toContain('abcdefghijklmnop');
    const events = await readWithAgUi(body);
    expect(events[events.length - 1]).toMatchObject({ type: 'RUN_ERROR', message: 'Bad key ***', code: 'ProviderError' });
    const decoded = agUiFormat.decoder().decode({ data: body.split('\n').filter((line) => line.includes('RUN_ERROR'))[0].slice(6) });
    expect(decoded).toEqual([{ kind: 'error', error: { name: 'ProviderError', message: 'Bad key ***', fields: { status: 401 } } }]);
  });

  it('passes AG-UI events through, and decodes RUN_FINISHED as the last value and the end', async () => {
    const events = await readWithAgUi(await sseBody([{ type: 'CUSTOM', name: 'progress', value: 0.5 }], 'ag-ui'));
    expect(events[1]).toMatchObject({ type: 'CUSTOM', name: 'progress', value: 0.5 });
    expect(agUiFormat.decoder().decode({ data: '{"type":"RUN_FINISHED","threadId":"t","runId":"r"}' }))
      .toEqual([{ kind: 'value', value: { type: 'RUN_FINISHED', threadId: 't', runId: 'r' } }, { kind: 'end' }]);
  });
});
