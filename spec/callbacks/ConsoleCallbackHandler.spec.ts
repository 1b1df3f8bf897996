import { ConsoleCallbackHandler, StringOutputParser } from '../../src/index.js';
import { ScriptedChatModel } from '../../src/testing/index.js';

describe('ConsoleCallbackHandler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes each token as it comes, and a newline when the model finishes', async () => {
    const written: string[] = [];
    const model = new ScriptedChatModel({ responses: ['Hello brave world'] });
    await model.invoke('Hi', { callbacks: [new ConsoleCallbackHandler({ write: (text) => written.push(text) })] });
    expect(written).toEqual(['Hello', ' brave', ' world', '\n']);
  });

  it('writes tokens while the stream is consumed, before it completes', async () => {
    const written: string[] = [];
    const handler = new ConsoleCallbackHandler({ write: (text) => written.push(text) });
    const seenWhenDelivered: number[] = [];
    await new Promise((resolve) => new ScriptedChatModel({ responses: ['a b'] }).stream('Hi', { callbacks: [handler] })
      .subscribe({ next: () => seenWhenDelivered.push(written.length), complete: () => resolve(undefined) }));
    expect(seenWhenDelivered).toEqual([1, 2]);
  });

  it('writes nothing for chunks without text (usage, tool calls)', async () => {
    const written: string[] = [];
    const model = new ScriptedChatModel({
      responses: [['ok', { toolCallChunks: [{ index: 0, id: 'c', name: 'f', args: '{}' }] }]],
      usage: true,
    });
    await model.invoke('Hi', { callbacks: [new ConsoleCallbackHandler({ write: (text) => written.push(text) })] });
    expect(written).toEqual(['ok', '\n']);
  });

  it("writes only the model's tokens in a chain, not the parser's output again", async () => {
    const written: string[] = [];
    const chain = new ScriptedChatModel({ responses: ['x y'] }).pipe(new StringOutputParser());
    await chain.invoke('Hi', { callbacks: [new ConsoleCallbackHandler({ write: (text) => written.push(text) })] });
    expect(written.join('')).toBe('x y\n');
  });

  it('writes to process.stdout by default', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await new ScriptedChatModel({ responses: ['Hi'] }).invoke('Hi', { callbacks: [new ConsoleCallbackHandler()] });
    expect(write.mock.calls.map(([text]) => text)).toEqual(['Hi', '\n']);
  });
});
