import { concat, defer, of, tap, type Observable } from 'rxjs';
import type { z } from 'zod';
import { OutputParserError } from '../errors/errors.js';
import { AIMessageChunk, type ToolCallChunk } from '../messages/AIMessageChunk.js';
import { ChunkAccumulator } from '../messages/ChunkAccumulator.js';
import { mergeToolCallChunkInto } from '../messages/toolCallChunkMerge.js';
import type { BaseChatModel } from '../models/BaseChatModel.js';
import type { ChatModelInput } from '../messages/toMessages.js';
import { IncrementalJsonParser } from '../json/IncrementalJsonParser.js';
import { partialJsonChanges } from '../operators/partialJsonInternals.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import type { DeepPartial } from './DeepPartial.js';
import { isStrictCompatible } from './isStrictCompatible.js';
import { jsonSchemaOf } from './jsonSchemaOf.js';

/** How the schema reaches the model. */
export type StructuredOutputMethod = 'jsonSchema' | 'toolCalling';

/** Options of `withStructuredOutput`. */
export interface StructuredOutputOptions {
  /**
   * `'jsonSchema'` (default): `response_format` with the JSON Schema, the answer is the JSON.
   * `'toolCalling'`: one forced tool call whose arguments are the JSON, for servers without
   * `response_format`.
   */
  method?: StructuredOutputMethod;
  /** The schema's name as the model sees it (default `'output'`). */
  name?: string;
  description?: string;
  /**
   * `'jsonSchema'`: ask the server to follow the schema exactly (`strict`). Default: when the
   * schema allows it — every field required (use `.nullable()` rather than `.optional()`) and no
   * extra properties; otherwise the schema is sent without `strict`.
   */
  strict?: boolean;
  /** Also give the raw model message, with the final value: `{ raw, parsed }`. */
  includeRaw?: boolean;
}

/** With `includeRaw`: the parsed value, and the raw message once the answer is complete. */
export interface StructuredOutputWithRaw<T> {
  parsed: T;
  raw?: AIMessageChunk;
}

/**
 * A chat model that answers in a shape: it streams partial values (`DeepPartial<T>`) as the JSON
 * arrives, parsed incrementally in linear time, and ends with the complete value validated by the
 * zod schema. A value that fails the schema is an `OutputParserError` naming the failing path; a
 * refusal (`responseMetadata.refusal`) is one that gives the model's text.
 */
export class StructuredOutputRunnable<T, Out = DeepPartial<T> | T> extends Runnable<ChatModelInput, Out, Out> {
  readonly runType = 'chain' as const;
  private readonly model: BaseChatModel;
  private readonly method: StructuredOutputMethod;
  private readonly toolName: string;

  constructor(model: BaseChatModel, private readonly schema: z.ZodType<T>, private readonly options: StructuredOutputOptions = {}) {
    super();
    this.method = options.method ?? 'jsonSchema';
    this.toolName = options.name ?? 'output';
    const jsonSchema = jsonSchemaOf(schema, 'withStructuredOutput');
    this.model = this.method === 'jsonSchema'
      ? model.withCallOptions({
        responseFormat: {
          type: 'json_schema', name: this.toolName, schema: jsonSchema, strict: options.strict ?? isStrictCompatible(jsonSchema),
          ...(options.description !== undefined && { description: options.description }),
        },
      })
      : model.bindTools([{ name: this.toolName, description: options.description ?? 'Answer with this structure', parameters: jsonSchema }], {
        toolChoice: { name: this.toolName },
      });
    this.runName = 'StructuredOutput';
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<Out> {
    return defer(() => {
      const parser = new IncrementalJsonParser({ tolerant: this.method === 'jsonSchema' });
      const firstCall = this.method === 'toolCalling' ? firstCallArgs() : undefined;
      const answer = new ChunkAccumulator();
      const partials$ = this.model._call(of(input), run.childScope(), { knownInput: { value: input } }).pipe(
        tap((chunk) => answer.add(chunk)),
        partialJsonChanges(parser, {
          text: (chunk: AIMessageChunk) => (firstCall ? firstCall(chunk) : chunk.content),
          read: () => this.shape(parser.value as DeepPartial<T>),
          // final$ ends the parser, after the refusal check: a refusal comes with no JSON.
          end: false,
        }),
      );
      const final$ = defer(() => {
        const raw = new AIMessageChunk(answer.fields());
        // A refusal (OpenAI's `delta.refusal`) comes instead of the JSON: say so rather than "no JSON".
        const refusal = raw.responseMetadata.refusal;
        if (typeof refusal === 'string' && refusal !== '') throw new OutputParserError(`The model refused to answer: ${refusal}`, { text: refusal });
        parser.end();
        return of(this.shape(this.validate(parser.value, this.method === 'jsonSchema' ? raw.content : raw.toolCallChunks[0]?.args ?? ''), raw));
      });
      return concat(partials$, final$);
    });
  }

  protected override aggregateOutput(outputs: Out[]): Out {
    return outputs[outputs.length - 1];
  }

  private validate(value: unknown, text: string): T {
    if (value === undefined) throw new OutputParserError('The model answered without a JSON value', { text: text.slice(0, 200) });
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(root)';
    throw new OutputParserError(`Structured output does not match the schema at "${where}": ${issue.message}`, { path: issue.path, text: text.slice(0, 500) });
  }

  private shape(parsed: DeepPartial<T> | T, raw?: AIMessageChunk): Out {
    if (!this.options.includeRaw) return parsed as Out;
    return (raw ? { parsed, raw } : { parsed }) as Out;
  }
}

/**
 * The argument text each chunk adds to the first tool call of the answer, placed by the merge
 * rules of the concatenation itself (`mergeToolCallChunkInto`). A server may call the forced tool
 * more than once; the answer is the first call, as in the concatenation.
 */
function firstCallArgs(): (chunk: AIMessageChunk) => string {
  const calls: ToolCallChunk[] = [];
  return (chunk) => {
    let text = '';
    for (const call of chunk.toolCallChunks) if (mergeToolCallChunkInto(calls, call) === 0 && call.args) text += call.args;
    return text;
  };
}
