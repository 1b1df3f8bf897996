import { defer, type Observable } from 'rxjs';
import { Runnable } from '../runnables/Runnable.js';
import { parserInputText, type ParserInput } from './parserInputText.js';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';
import type { JsonPatchOperation, JsonValue } from '../json/jsonTypes.js';
import { partialJsonChanges } from '../operators/partialJsonInternals.js';

/** Options of `JsonOutputParser`. */
export interface JsonOutputParserOptions {
  /** Emit RFC 6902 JSON Patch operations (one array per change) instead of whole partial objects. */
  diff?: boolean;
}

/**
 * Parses a model's JSON answer as it streams and emits the partial object each time it changes,
 * in time linear in the answer (an incremental parser: the accumulated text is never re-read).
 * Tolerant of model habits: text before the JSON and a ```` ```json ```` fence around it are
 * skipped. With `{ diff: true }` it emits JSON Patch operations instead of objects.
 * A chunk-by-chunk transform; reports `on_parser_*` events. `invoke` gives the complete value.
 *
 * Malformed JSON (or an answer that ends before its JSON does) is an `OutputParserError` with
 * the offset and the text around it; values emitted before stay delivered.
 *
 * @example
 * ```ts
 * import { JsonOutputParser } from 'rxllm';
 * const chain = prompt.pipe(model).pipe(new JsonOutputParser<{ title: string; steps: string[] }>());
 * chain.stream({ dish: 'pancakes' }).subscribe((recipe) => render(recipe)); // {} → { title: 'Pan' } → …
 * ```
 */
export class JsonOutputParser<T = JsonValue> extends Runnable<ParserInput, T | JsonPatchOperation[], T> {
  readonly runType = 'parser' as const;
  override readonly wholeInput = false;

  constructor(private readonly options: JsonOutputParserOptions = {}) {
    super();
    this.runName = 'JsonOutputParser';
  }

  protected override _transform(input$: Observable<ParserInput>): Observable<T | JsonPatchOperation[]> {
    const diff = !!this.options.diff;
    return defer(() => {
      const parser = new IncrementalJsonParser({ tolerant: true, patches: diff });
      return input$.pipe(partialJsonChanges(parser, {
        text: (chunk: ParserInput) => parserInputText(chunk, 'JsonOutputParser'),
        read: () => (diff ? parser.takePatches() : parser.value) as T | JsonPatchOperation[],
      }));
    });
  }

  /** The complete value: the last object, or the patches applied in order. */
  protected override aggregateOutput(outputs: Array<T | JsonPatchOperation[]>): T {
    if (!this.options.diff) return outputs[outputs.length - 1] as T;
    let document: JsonValue | undefined;
    for (const patch of outputs as JsonPatchOperation[][]) for (const op of patch) document = applyOperation(document, op);
    return document as T;
  }
}

/** Applies one add/replace/remove (the operations the parser produces) to a document, in place. */
function applyOperation(document: JsonValue | undefined, op: JsonPatchOperation): JsonValue | undefined {
  if (op.path === '') return op.op === 'remove' ? undefined : structuredClone(op.value);
  const tokens = op.path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent = document as Record<string, JsonValue> | JsonValue[];
  for (const token of tokens.slice(0, -1)) parent = (parent as Record<string, JsonValue>)[token] as Record<string, JsonValue>;
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op.op === 'remove') parent.splice(index, 1);
    else if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value));
    else parent[index] = structuredClone(op.value);
  } else if (op.op === 'remove') {
    delete parent[last];
  } else {
    parent[last] = structuredClone(op.value);
  }
  return document;
}
