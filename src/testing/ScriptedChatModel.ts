import { Observable, asyncScheduler, throwError, type SchedulerLike } from 'rxjs';
import { AIMessageChunk, concatChunks, type AIMessageChunkFields } from '../messages/AIMessageChunk.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { estimateTokens, estimateTokensOfLength } from '../messages/estimateTokens.js';
import type { BaseMessage } from '../messages/messages.js';
import { BaseChatModel, type BaseChatModelFields } from '../models/BaseChatModel.js';
import type { ChatModelCallOptions } from '../models/ChatModelCallOptions.js';
import { chunkMarbles, type MarbleChunk } from './chunkMarbles.js';
import { checkChunkBy, splitText, type ChunkBy } from './splitText.js';

/** One scripted chunk: text, chunk fields, a chunk, or an error that fails the call at that point. */
export type ScriptedChunk = MarbleChunk;

/** One call's answer: a string (split by `chunkBy`), explicit chunks, or an error. */
export type ScriptedResponse = string | ScriptedChunk[] | Error;

/** Options of `ScriptedChatModel`. */
export interface ScriptedChatModelFields extends BaseChatModelFields {
  /** One entry per call, in order; the last one repeats. */
  responses: ScriptedResponse[];
  /** How a string response is cut: `'char'`, `'word'` (default) or a number of characters. */
  chunkBy?: ChunkBy;
  /** Time between chunks on `scheduler`; 0 (default) emits every chunk synchronously. */
  intervalMs?: number;
  /** Adds a final chunk with usage counted from the text (about four characters per token). */
  usage?: boolean;
  /** Where time passes; inside `TestScheduler.run` the default scheduler runs in virtual time. */
  scheduler?: SchedulerLike;
}

/** A recorded call of a scripted model. */
export interface ScriptedCall {
  messages: BaseMessage[];
  options: ChatModelCallOptions;
}

type Timeline = (messages: BaseMessage[]) => Observable<AIMessageChunk>;

/**
 * A chat model whose chunks and timing come from a script: for tests, demos and benchmarks.
 * It is a real model everywhere (events, callbacks, tools, usage, errors), records every call in
 * `calls`, and with a scheduler (or inside `TestScheduler.run`) emits in virtual time.
 *
 * @example
 * ```ts
 * import { ScriptedChatModel } from 'rxllm/testing';
 * const model = new ScriptedChatModel({ responses: ['Hello world'], chunkBy: 'word' });
 * await model.invoke('Hi'); // AIMessageChunk { content: 'Hello world' }
 * ```
 */
export class ScriptedChatModel extends BaseChatModel {
  /** Every call so far, shared by copies made with `withCallOptions`/`bindTools`. */
  readonly calls: ScriptedCall[] = [];
  private readonly timelines: Timeline[];

  constructor(fields: ScriptedChatModelFields) {
    super(fields);
    if (!Array.isArray(fields.responses) || fields.responses.length === 0) {
      throw new InvalidOptionError('ScriptedChatModel', 'responses', 'a list of at least one response', fields.responses);
    }
    checkChunkBy('ScriptedChatModel', fields.chunkBy);
    this.timelines = fields.responses.map((response) => scriptTimeline(response, fields));
  }

  /**
   * A model that answers every call with the chunks of a marble diagram, inside
   * `TestScheduler.run`: `-a-b-(c|)` emits `a` at frame 1, `b` at 3, then `c` and completes at 5.
   * Values are strings, chunk fields or chunks; `#` fails with `error`.
   *
   * @example
   * ```ts
   * testScheduler.run(({ expectObservable }) => {
   *   const model = ScriptedChatModel.fromMarbles('-a-b-(c|)', { a: 'Hel', b: 'lo', c: { content: '!' } });
   *   expectObservable(model.stream('Hi').pipe(map((c) => c.content))).toBe('-a-b-(c|)', { a: 'Hel', b: 'lo', c: '!' });
   * });
   * ```
   */
  static fromMarbles(marbles: string, values?: Record<string, ScriptedChunk>, error?: unknown, fields: BaseChatModelFields = {}): ScriptedChatModel {
    const model = new ScriptedChatModel({ ...fields, responses: [''] });
    const stream = chunkMarbles(marbles, values, error);
    model.timelines.splice(0, 1, () => stream);
    return model;
  }

  protected override _streamChunks(messages: BaseMessage[], options: ChatModelCallOptions): Observable<AIMessageChunk> {
    const index = Math.min(this.calls.length, this.timelines.length - 1);
    this.calls.push({ messages, options });
    return this.timelines[index](messages);
  }
}

function scriptTimeline(response: ScriptedResponse, fields: ScriptedChatModelFields): Timeline {
  if (response instanceof Error) return () => throwError(() => response);
  const items: ScriptedChunk[] = typeof response === 'string' ? splitText(response, fields.chunkBy) : response;
  const intervalMs = fields.intervalMs ?? 0;
  const scheduler = fields.scheduler ?? asyncScheduler;
  return (messages) => new Observable<AIMessageChunk>((subscriber) => {
    const steps = withEnding(items.map(toChunkOrError), messages, !!fields.usage);
    const deliver = (step: AIMessageChunk | Error) => (step instanceof Error ? subscriber.error(step) : subscriber.next(step));
    if (intervalMs <= 0) {
      for (const step of steps) {
        if (subscriber.closed) return undefined;
        deliver(step);
      }
      subscriber.complete();
      return undefined;
    }
    // One frame per scripted chunk; the added usage chunk rides in the frame of the last one.
    const frames = items.length ? steps.slice(0, items.length).map((step) => [step]) : [[]];
    frames[frames.length - 1].push(...steps.slice(items.length));
    return scheduler.schedule(function (this: { schedule(state: number, delay: number): void }, frame = 0) {
      for (const step of frames[frame]) {
        if (subscriber.closed) return;
        deliver(step);
      }
      if (subscriber.closed) return;
      if (frame + 1 < frames.length) this.schedule(frame + 1, intervalMs);
      else subscriber.complete();
    }, intervalMs, 0);
  });
}

function toChunkOrError(item: ScriptedChunk): AIMessageChunk | Error {
  if (item instanceof Error || item instanceof AIMessageChunk) return item;
  return new AIMessageChunk(item);
}

/** Adds the finish reason and, when asked, a usage chunk counted from the text. */
function withEnding(steps: Array<AIMessageChunk | Error>, messages: BaseMessage[], usage: boolean): Array<AIMessageChunk | Error> {
  if (steps.some((s) => s instanceof Error)) return steps;
  const chunks = steps as AIMessageChunk[];
  const hasToolCalls = chunks.some((c) => c.toolCallChunks.length > 0);
  const finishReason = chunks.find((c) => c.finishReason)?.finishReason ?? (hasToolCalls ? 'tool_calls' : 'stop');
  if (!usage) {
    // An empty answer is still an answer: one empty chunk that finishes, as a server sends.
    if (chunks.length === 0) return [new AIMessageChunk({ finishReason })];
    if (chunks.some((c) => c.finishReason)) return chunks;
    const last = chunks[chunks.length - 1];
    return [...chunks.slice(0, -1), withFields(last, { finishReason })];
  }
  const inputTokens = estimateTokens(messages.map((m) => m.content).join('\n'));
  const outputTokens = estimateTokensOfLength(generatedLength(concatChunks(chunks)));
  return [...chunks, new AIMessageChunk({
    ...(chunks.some((c) => c.finishReason) ? {} : { finishReason }),
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
  })];
}

/** The characters a server counts as output: the text, the reasoning, each call's name and arguments. */
function generatedLength(message: AIMessageChunk): number {
  let length = message.content.length + (message.reasoning?.length ?? 0);
  for (const call of message.toolCallChunks) length += (call.name?.length ?? 0) + (call.args?.length ?? 0);
  return length;
}

function withFields(chunk: AIMessageChunk, fields: AIMessageChunkFields): AIMessageChunk {
  return new AIMessageChunk({ ...chunk, toolCallChunks: chunk.toolCallChunks, responseMetadata: chunk.responseMetadata, ...fields });
}
