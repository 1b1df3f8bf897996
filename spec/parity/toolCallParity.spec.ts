import { tool as lcTool } from '@langchain/core/tools';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { ToolMessage } from '../../src/messages/messages.js';
import { tool } from '../../src/tools/StructuredTool.js';

// tool.invoke(toolCall) answers with a ToolMessage paired with the call, as LangChain's tools do.

const weather = (args: { city: string }) => ({ city: args.city, tempC: 18 });
const fields = { name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }) };
const call = { id: 'call_1', name: 'get_weather', args: { city: 'Paris' }, type: 'tool_call' as const };

describe('tool.invoke(toolCall) (API.md §6)', () => {
  it('returns a ToolMessage paired with the call, with the text LangChain gives', async () => {
    const ours = await tool(weather, fields).invoke(call);
    const theirs = await lcTool(weather, fields).invoke(call);
    expect(ours).toBeInstanceOf(ToolMessage);
    expect({ content: ours.content, toolCallId: ours.toolCallId, name: ours.name }).toEqual({
      content: theirs.content, toolCallId: theirs.tool_call_id, name: theirs.name,
    });
    expect(ours.artifact).toEqual({ city: 'Paris', tempC: 18 });
  });

  it('keeps returning the raw result for arguments', async () => {
    const ours = await tool(weather, fields).invoke({ city: 'Paris' });
    const theirs = await lcTool(weather, fields).invoke({ city: 'Paris' });
    expect(ours).toEqual(theirs);
  });

  it('on_tool_end reports the ToolMessage for a call, and the result for arguments', async () => {
    const ourEnd = async (input: unknown) => (await lastValueFrom(tool(weather, fields).streamEvents(input as never).pipe(toArray()))).find((e) => e.event === 'on_tool_end')!.data.output;
    const theirEnd = async (input: unknown) => {
      for await (const event of lcTool(weather, fields).streamEvents(input as never, { version: 'v2' })) if (event.event === 'on_tool_end') return event.data.output;
      return undefined;
    };
    const [ours, theirs] = [await ourEnd(call), await theirEnd(call)];
    expect(ours).toBeInstanceOf(ToolMessage);
    expect([ours.content, ours.toolCallId]).toEqual([theirs.content, theirs.tool_call_id]);
    expect(await ourEnd({ city: 'Paris' })).toEqual(await theirEnd({ city: 'Paris' }));
  });

  it('stream(call) emits the result, then the ToolMessage', async () => {
    const items = await lastValueFrom(tool(weather, fields).stream(call).pipe(toArray()));
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({ city: 'Paris', tempC: 18 });
    expect(items[1]).toBeInstanceOf(ToolMessage);
  });
});
