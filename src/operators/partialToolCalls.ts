import { EMPTY, concat, defer, filter, map, of, type OperatorFunction } from 'rxjs';
import type { AIMessageChunk, ToolCallChunk } from '../messages/AIMessageChunk.js';
import { mergeToolCallChunkInto } from '../messages/toolCallChunkMerge.js';
import { isPlainObject } from '../messages/valueKinds.js';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';

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
 * ```
 * source:             --a------b------c--|   a: get_weather '{"ci'  b: 'ty":"Par'  c: 'is"}'
 * partialToolCalls(): --x------y------z--|   x: args {}  y: args { city: 'Par' }  z: args { city: 'Paris' }
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
export function partialToolCalls(): OperatorFunction<AIMessageChunk, PartialToolCall[]> {
  return (source) => defer(() => {
    const merged: ToolCallChunk[] = [];
    const parsers: IncrementalJsonParser[] = [];
    const calls: PartialToolCall[] = [];
    /** Calls that received argument text other than whitespace (an empty text means `{}`). */
    const written: boolean[] = [];
    const absorb = (piece: ToolCallChunk) => {
      const at = mergeToolCallChunkInto(merged, piece);
      const parser = (parsers[at] ??= new IncrementalJsonParser());
      const call = merged[at];
      let args = calls[at]?.args ?? {};
      let error = calls[at]?.error;
      if (piece.args && error === undefined) {
        if (piece.args.trim() !== '') written[at] = true;
        try {
          if (parser.write(piece.args)) args = snapshotArgs(parser);
        } catch (parseError) {
          error = (parseError as Error).message;
        }
      }
      calls[at] = {
        index: call.index,
        ...(call.id !== undefined && { id: call.id }),
        ...(call.name !== undefined && { name: call.name }),
        args,
        ...(error !== undefined && { error }),
      };
    };
    /** At completion: flags the calls whose arguments are not a whole JSON object; true if any. */
    const flagUnfinished = () => {
      let flagged = false;
      calls.forEach((call, at) => {
        if (call.error !== undefined || !written[at]) return;
        const error = endError(parsers[at]);
        if (error === undefined) return;
        calls[at] = { ...call, error };
        flagged = true;
      });
      return flagged;
    };
    return concat(
      source.pipe(
        filter((chunk) => chunk.toolCallChunks.length > 0),
        map((chunk) => {
          chunk.toolCallChunks.forEach(absorb);
          return calls.slice();
        }),
      ),
      defer(() => (flagUnfinished() ? of(calls.slice()) : EMPTY)),
    );
  });
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
