import { EMPTY, concat, defer, filter, map, of, type OperatorFunction } from 'rxjs';
import type { AIMessageChunk, ToolCallChunk } from '../messages/AIMessageChunk.js';
import { mergeToolCallChunkInto } from '../messages/toolCallChunkMerge.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';
import { isStreamReset, type StreamReset } from '../resilience/StreamReset.js';
import { Attempts } from './streamResetInternals.js';

/** A tool call while it streams: its arguments as a partial object. */
export interface PartialToolCall {
  index: number;
  id?: string;
  name?: string;
  /** The arguments so far: a snapshot, not changed by later chunks (within the parser's copy limit, see `IncrementalJsonParser`). */
  args: Record<string, unknown>;
  /** Set when the argument text is not valid JSON; `args` then stays as it last was. */
  error?: string;
}

/**
 * The tool calls of a streaming answer, with their arguments parsed as they arrive.
 *
 * After each chunk that carries tool-call chunks, emits every call so far, merged with the same
 * rules as `AIMessageChunk.concat` (index, id, a new id at a used index). Arguments are parsed
 * incrementally, one parser per call, so the work is linear in the argument text: strings grow
 * as they stream, a number shows once it is complete. Argument text that is not JSON does not
 * break the stream: that call gets an `error` and keeps its last arguments. When the source
 * completes, calls whose arguments stopped short of a whole JSON object (cut off, or an array or
 * string) get their `error` in one last emission, so the last emission agrees with the message's
 * `toolCalls` and `invalidToolCalls`.
 *
 * A `StreamReset` (from `retryStream({ afterFirstChunk: 'restart' })` or a fallback that switches)
 * passes on at once and the calls start over after it: the calls after the marker are the new
 * attempt's alone, and only they are judged at completion.
 *
 * ```
 * source:             --a------b------c--|   a: get_weather '{"ci'  b: 'ty":"Par'  c: 'is"}'
 * partialToolCalls(): --x------y------z--|   x: args {}  y: args { city: 'Par' }  z: args { city: 'Paris' }
 *
 * source:             --a---R--c--|          R: StreamReset, c: get_weather '{"city":"Rome"}'
 * partialToolCalls(): --x---R--w--|          w: [{ name: 'get_weather', args: { city: 'Rome' } }] alone
 * ```
 *
 * @example
 * ```ts
 * import { partialToolCalls } from 'rxllm';
 * model.bindTools([weather]).stream('Weather in Paris?').pipe(partialToolCalls())
 *   .subscribe((calls) => render(calls)); // [{ name: 'get_weather', args: { city: 'Par' } }] …
 * ```
 *
 * @return An operator emitting the calls so far after each chunk that has tool-call chunks.
 */
export function partialToolCalls<T extends AIMessageChunk | StreamReset>(): OperatorFunction<T, PartialToolCall[] | Extract<T, StreamReset>> {
  return (source) => defer(() => {
    const attempts = new Attempts(() => new ToolCallsSoFar());
    return concat(
      source.pipe(
        filter((item) => isStreamReset(item) || (item as AIMessageChunk).toolCallChunks.length > 0),
        map((item) => (attempts.opensNext(item) ? (item as Extract<T, StreamReset>) : attempts.state.add(item as AIMessageChunk))),
      ),
      // Only the last attempt's calls are judged.
      defer(() => (attempts.state.flagUnfinished() ? of(attempts.state.calls.slice()) : EMPTY)),
    );
  });
}

/** The tool calls of one attempt of `partialToolCalls`: merged chunks, a parser per call. */
class ToolCallsSoFar {
  readonly calls: PartialToolCall[] = [];
  private readonly merged: ToolCallChunk[] = [];
  private readonly parsers: IncrementalJsonParser[] = [];
  /** Calls that received argument text other than whitespace (an empty text means `{}`). */
  private readonly written: boolean[] = [];

  /** Absorbs the tool-call chunks of `chunk`; returns the calls so far. */
  add(chunk: AIMessageChunk): PartialToolCall[] {
    for (const piece of chunk.toolCallChunks) this.absorb(piece);
    return this.calls.slice();
  }

  /** At completion: flags the calls whose arguments are not a whole JSON object; true if any. */
  flagUnfinished(): boolean {
    let flagged = false;
    this.calls.forEach((call, at) => {
      if (call.error !== undefined || !this.written[at]) return;
      const error = endError(this.parsers[at]);
      if (error === undefined) return;
      this.calls[at] = { ...call, error };
      flagged = true;
    });
    return flagged;
  }

  private absorb(piece: ToolCallChunk): void {
    const at = mergeToolCallChunkInto(this.merged, piece);
    const parser = (this.parsers[at] ??= new IncrementalJsonParser());
    const call = this.merged[at];
    let args = this.calls[at]?.args ?? {};
    let error = this.calls[at]?.error;
    if (piece.args && error === undefined) {
      if (piece.args.trim() !== '') this.written[at] = true;
      try {
        if (parser.write(piece.args)) args = snapshotArgs(parser);
      } catch (parseError) {
        error = (parseError as Error).message;
      }
    }
    this.calls[at] = {
      index: call.index,
      ...(call.id !== undefined && { id: call.id }),
      ...(call.name !== undefined && { name: call.name }),
      args,
      ...(error !== undefined && { error }),
    };
  }
}

/** Why a call's complete argument text is not a JSON object, or `undefined` when it is one. */
function endError(parser: IncrementalJsonParser): string | undefined {
  try {
    parser.end();
  } catch (parseError) {
    return (parseError as Error).message;
  }
  const value = parser.value;
  return isPlainObject(value) ? undefined : 'arguments are not a JSON object';
}

function snapshotArgs(parser: IncrementalJsonParser): Record<string, unknown> {
  const value = parser.value;
  return isPlainObject(value) ? value : {};
}
