import { lastValueFrom, toArray } from 'rxjs';
import type { StreamEvent } from '../../src/events/StreamEvent.js';
import { MODEL_DESCRIPTION, modelDescriptionOf, type ModelDescription } from '../../src/models/ModelDescription.js';
import { ChatOpenAI } from '../../src/openai/ChatOpenAI.js';
import { ScriptedChatModel } from '../../src/testing/ScriptedChatModel.js';

class DescribedModel extends ScriptedChatModel {
  protected override describeModel(): ModelDescription {
    return { provider: 'scripted', model: 'echo-1' };
  }
}

async function startInput(model: ScriptedChatModel): Promise<unknown> {
  const events: StreamEvent[] = await lastValueFrom(model.streamEvents('Hi').pipe(toArray()));
  return events.find((event) => event.event === 'on_chat_model_start')?.data.input;
}

describe('ModelDescription', () => {
  it('rides on the start event input, hidden from JSON, spreads and equality', async () => {
    const input = await startInput(new DescribedModel({ responses: ['Hello'] }));
    expect(modelDescriptionOf(input)).toEqual({ provider: 'scripted', model: 'echo-1' });
    expect(JSON.stringify(input)).not.toContain('echo-1');
    expect({ ...(input as object) }[MODEL_DESCRIPTION as never]).toBeUndefined();
    expect(input).toEqual({ messages: [expect.objectContaining({ content: 'Hi' })] });
  });

  it('is empty for a model that says nothing, and also under middleware', async () => {
    expect(modelDescriptionOf(await startInput(new ScriptedChatModel({ responses: ['Hello'] })))).toEqual({});
    const layered = new DescribedModel({ responses: ['Hello'] }).withMiddleware({ transformRequest: (request) => request });
    expect(modelDescriptionOf(await startInput(layered))).toEqual({ provider: 'scripted', model: 'echo-1' });
  });

  it('ChatOpenAI describes its provider, model and request settings', () => {
    const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-test-key-000000', temperature: 0.2, maxTokens: 64 });
    const description = (model as unknown as { describeModel(): ModelDescription }).describeModel();
    expect(description).toEqual({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0.2, maxTokens: 64 });
  });

  it('reads nothing from values that are not objects', () => {
    expect(modelDescriptionOf(undefined)).toBeUndefined();
    expect(modelDescriptionOf('text')).toBeUndefined();
    expect(modelDescriptionOf({ messages: [] })).toBeUndefined();
  });
});
