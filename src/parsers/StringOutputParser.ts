import { filter, map, type Observable } from 'rxjs';
import { OutputParserError } from '../errors/errors.js';
import { isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { isBaseMessage, type BaseMessage } from '../messages/messages.js';
import { Runnable } from '../runnables/Runnable.js';

/**
 * The text of each chunk, as it streams: a chunk-by-chunk transform (no buffering). Chunks
 * without text (a usage or tool-call chunk) produce nothing; input that is not a string, a message
 * or a chunk is an `OutputParserError`. Reports `on_parser_*` events.
 *
 * @example
 * ```ts
 * import { StringOutputParser } from 'rxllm';
 * const chain = prompt.pipe(model).pipe(new StringOutputParser());
 * chain.stream({ input: 'Hi' }).subscribe((text) => process.stdout.write(text));
 * ```
 */
export class StringOutputParser extends Runnable<AIMessageChunk | BaseMessage | string, string> {
  readonly runType = 'parser' as const;
  override readonly wholeInput = false;

  protected override _transform(input$: Observable<AIMessageChunk | BaseMessage | string>): Observable<string> {
    return input$.pipe(map(textOf), filter((text) => text !== ''));
  }
}

function textOf(value: AIMessageChunk | BaseMessage | string): string {
  if (typeof value === 'string') return value;
  if (isAIMessageChunk(value) || isBaseMessage(value)) return value.content;
  // Anything else is a wiring mistake in the chain: say so rather than emit "[object Object]".
  const unknownValue: unknown = value;
  const kind = unknownValue === null ? 'null' : Array.isArray(unknownValue) ? 'an array' : typeof unknownValue;
  throw new OutputParserError(`StringOutputParser takes strings, messages or message chunks, not ${kind}`);
}
