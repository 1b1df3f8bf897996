import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { ChatOpenAI } from '../../src/openai/index.js';
import { TEST_KEY } from '../support/replaySupport.js';

describe("ChatOpenAI's api option", () => {
  it('defaults to chat-completions and takes responses with its options', () => {
    expect(new ChatOpenAI({ model: 'm', apiKey: TEST_KEY }).api).toBe('chat-completions');
    const model = new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, api: 'responses', previousResponseId: 'resp_1', store: false, background: true });
    expect(model).toEqual(expect.objectContaining({ api: 'responses', previousResponseId: 'resp_1', store: false, background: true }));
  });

  it('refuses an api it does not know where it is given', () => {
    expect(() => new ChatOpenAI({ model: 'm', apiKey: TEST_KEY, api: 'completions' as 'responses' })).toThrow(InvalidOptionError);
  });
});
