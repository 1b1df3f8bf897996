import { filter, map, type Observable } from 'rxjs';
import { Runnable } from '../runnables/Runnable.js';
import { parserInputText, type ParserInput } from './parserInputText.js';

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
export class StringOutputParser extends Runnable<ParserInput, string> {
  readonly runType = 'parser' as const;
  override readonly wholeInput = false;

  protected override _transform(input$: Observable<ParserInput>): Observable<string> {
    return input$.pipe(map((chunk) => parserInputText(chunk, 'StringOutputParser')), filter((text) => text !== ''));
  }
}
