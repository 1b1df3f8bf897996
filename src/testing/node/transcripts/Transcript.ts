/**
 * The answers of `localOpenAIServer`, written in the OpenAI chat.completions chunk format:
 * each entry is what one streamed chunk carries for choice 0 (its `delta` and `finish_reason`).
 * The server adds the envelope (`id`, `model`, `created`), the timing and the usage chunk.
 */

/** A tool-call fragment as it appears in `delta.tool_calls`. */
export interface TranscriptToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

/** One streamed chunk of choice 0. */
export interface TranscriptChunk {
  delta: { role?: 'assistant'; content?: string; tool_calls?: TranscriptToolCall[] };
  finish_reason?: 'stop' | 'tool_calls' | 'length';
}

/** One scripted answer, and when the server picks it. */
export interface Transcript {
  name: string;
  /** Picked when the last user message has one of these words or phrases (case does not matter). */
  keywords: readonly string[];
  /** Picked only when the request offers a tool of this name. */
  needsTool?: string;
  /** Picked when the last message is the answer of this tool (instead of a user message). */
  afterTool?: string;
  /** The chunks. In an `afterTool` transcript, `{{tool_result}}` stands for the tool's answer. */
  chunks: readonly TranscriptChunk[];
}

/** Chunks of an assistant text answer, one per token: the role chunk, the tokens, the finish chunk. */
export function textAnswer(tokens: readonly string[]): TranscriptChunk[] {
  return [
    { delta: { role: 'assistant', content: '' } },
    ...tokens.map((content): TranscriptChunk => ({ delta: { content } })),
    { delta: {}, finish_reason: 'stop' },
  ];
}
