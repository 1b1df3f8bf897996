import { AIMessageChunk, type ToolCallChunk } from '../messages/AIMessageChunk.js';
import type { StreamEvent } from '../events/StreamEvent.js';
import type { PIIEntity } from './PIIDetector.js';
import type { ScanOutput } from './PIIScanner.js';

/** What the security operators accept: text chunks, message chunks, or events that carry them. */
export type TextBearingValue = string | AIMessageChunk | StreamEvent;

/** An incremental search of one text, as `PIIScanner` does it. */
export interface TextScanner {
  /** Appends `fragment`; returns the text that is settled. */
  push(fragment: string): ScanOutput;
  /** The end of the text: releases everything held. */
  flush(): ScanOutput;
}

/** The key of the one text of a stream of strings, as `scanValue` names it. */
const STRING_KEY = '|text';
const NO_VALUES: readonly TextBearingValue[] = Object.freeze([]);

/** Rebuilds `chunk` with other texts, keeping every other field. */
function withTexts(chunk: AIMessageChunk, content: string, reasoning: string | undefined, toolCallChunks: ToolCallChunk[]): AIMessageChunk {
  return new AIMessageChunk({
    ...(chunk.id !== undefined && { id: chunk.id }),
    content,
    ...(reasoning !== undefined && { reasoning }),
    toolCallChunks,
    ...(chunk.usage !== undefined && { usage: chunk.usage }),
    ...(chunk.finishReason !== undefined && { finishReason: chunk.finishReason }),
    responseMetadata: chunk.responseMetadata,
  });
}

/**
 * The texts a stream carries, each searched on its own by a scanner of the caller's: a stream of
 * strings is one text; a message's content, its reasoning and each tool call's argument text are
 * three kinds of text (per run, for events). Each text has a key (`|content`, `run-1|tool:0`, …).
 * `push` turns one value into the values to emit: itself with its texts scanned, the held text of
 * a run first when the run ends. A text ends (its scanner is flushed) with the chunk that carries
 * the finish reason, its run's end event, or `end()`.
 *
 * Shared by `redactPII` and `contentFilter`, so that both walk values the same way.
 *
 * @internal
 */
export class TextParts {
  private readonly scanners = new Map<string, TextScanner>();
  /** The last stream event of each run, the envelope its held text is released in. */
  private readonly lastStreamEvent = new Map<string, StreamEvent>();
  private outputs: TextBearingValue[] = [];
  /** The entity a scanner stopped at; nothing is scanned after it. */
  stoppedAt: PIIEntity | undefined;

  /** @param scannerFor a new scanner for the text `key` (`json`: tool-call argument text). */
  constructor(private readonly scannerFor: (key: string, json: boolean) => TextScanner) {}

  /** The values `value` becomes, in order (none when everything it carries is held). */
  push(value: TextBearingValue): readonly TextBearingValue[] {
    // A stream of strings, chunk by chunk: one text under a constant key, and no array to fill.
    if (typeof value === 'string') {
      const text = this.scan(STRING_KEY, value, false);
      return text ? [text] : NO_VALUES;
    }
    this.outputs = [];
    const output = this.scanValue(value, '|');
    if (output !== undefined) this.outputs.push(output);
    return this.outputs;
  }

  /** The end of the stream: every held text, each as one more value. */
  end(): TextBearingValue[] {
    this.outputs = [];
    for (const key of [...this.scanners.keys()]) {
      if (!this.scanners.has(key) || this.stoppedAt) continue;
      const prefix = key.slice(0, key.lastIndexOf('|') + 1);
      const template = this.lastStreamEvent.get(prefix.slice(0, -1));
      const kind = key.slice(prefix.length);
      const rest = template ? this.flushed(prefix, template)
        : kind === 'text' ? this.flushed(prefix, '') : this.flushed(prefix, new AIMessageChunk());
      if (rest !== undefined) this.outputs.push(rest);
    }
    return this.outputs;
  }

  private scan(key: string, fragment: string | undefined, final: boolean, json = false): string | undefined {
    if (this.stoppedAt) return undefined;
    let scanner = this.scanners.get(key);
    if (!scanner && (fragment === undefined || fragment === '')) return fragment;
    if (!scanner) this.scanners.set(key, scanner = this.scannerFor(key, json));
    let output: ScanOutput = scanner.push(fragment ?? '');
    if (final && !output.stoppedAt) {
      const rest = scanner.flush();
      output = { text: output.text + rest.text, stoppedAt: rest.stoppedAt };
    }
    if (final) this.scanners.delete(key);
    if (output.stoppedAt) this.stoppedAt = output.stoppedAt;
    return output.text;
  }

  private scanChunk(chunk: AIMessageChunk, prefix: string, finalAll: boolean): AIMessageChunk {
    const final = finalAll || chunk.finishReason !== undefined;
    const content = this.scan(`${prefix}content`, chunk.content, final) ?? '';
    const reasoning = this.scan(`${prefix}reasoning`, chunk.reasoning, final);
    const toolCallChunks: ToolCallChunk[] = chunk.toolCallChunks.map((call) => {
      const args = this.scan(`${prefix}tool:${call.index}`, call.args, final, true);
      return { ...call, ...(args !== undefined && { args }) };
    });
    if (final) {
      for (const key of [...this.scanners.keys()]) {
        if (!key.startsWith(`${prefix}tool:`)) continue;
        const args = this.scan(key, '', true, true) ?? '';
        if (args !== '') toolCallChunks.push({ index: Number(key.slice(prefix.length + 5)), args });
      }
    }
    return withTexts(chunk, content, reasoning, toolCallChunks);
  }

  private hasPrefix(prefix: string): boolean {
    return [...this.scanners.keys()].some((key) => key.startsWith(prefix));
  }

  /** The held text of one run (or of the plain stream) as one value, or nothing when none is held. */
  private flushed(prefix: string, template: TextBearingValue | undefined): TextBearingValue | undefined {
    if (!this.hasPrefix(prefix)) return undefined;
    if (template === undefined || typeof template === 'string') return this.scan(`${prefix}text`, '', true) || undefined;
    if (template instanceof AIMessageChunk) {
      const chunk = this.scanChunk(new AIMessageChunk(), prefix, true);
      return chunk.content || chunk.reasoning || chunk.toolCallChunks.length ? chunk : undefined;
    }
    const value = this.flushed(prefix, template.data?.chunk);
    return value === undefined ? undefined : { ...template, data: { ...template.data, chunk: value } };
  }

  private scanValue(value: TextBearingValue, prefix: string): TextBearingValue | undefined {
    if (typeof value === 'string') return this.scan(`${prefix}text`, value, false) || undefined;
    if (value instanceof AIMessageChunk) return this.scanChunk(value, prefix, false);
    return this.scanEvent(value);
  }

  private scanEvent(event: StreamEvent): StreamEvent | undefined {
    const data = event.data as { chunk?: unknown; output?: unknown } | undefined;
    const prefix = `${event.run_id}|`;
    if (event.event.endsWith('_stream') && data && (typeof data.chunk === 'string' || data.chunk instanceof AIMessageChunk)) {
      this.lastStreamEvent.set(event.run_id, event);
      const chunk = this.scanValue(data.chunk, prefix);
      return chunk === undefined ? undefined : { ...event, data: { ...data, chunk } };
    }
    if (event.event.endsWith('_end') || event.event.endsWith('_error')) {
      const template = this.lastStreamEvent.get(event.run_id);
      this.lastStreamEvent.delete(event.run_id);
      const rest = template && this.flushed(prefix, template);
      if (rest !== undefined) this.outputs.push(rest);
      if (this.stoppedAt) return undefined;
      if (data && (typeof data.output === 'string' || data.output instanceof AIMessageChunk)) {
        const whole = `${prefix}output|`;
        const output = typeof data.output === 'string' ? this.scan(`${whole}text`, data.output, true) ?? '' : this.scanChunk(data.output, whole, true);
        return { ...event, data: { ...data, output } };
      }
    }
    return event;
  }
}

/**
 * `value` with each of its texts replaced by `replace(key, text, json)`, visited in the order and
 * under the keys `TextParts` scans them in: for a value `TextParts` emitted, the same texts.
 */
export function mapTexts(value: TextBearingValue, replace: (key: string, text: string, json: boolean) => string): TextBearingValue {
  const chunkTexts = (chunk: AIMessageChunk, prefix: string): AIMessageChunk => {
    const content = chunk.content === '' ? '' : replace(`${prefix}content`, chunk.content, false);
    const reasoning = chunk.reasoning === undefined || chunk.reasoning === '' ? chunk.reasoning : replace(`${prefix}reasoning`, chunk.reasoning, false);
    const toolCallChunks = chunk.toolCallChunks.map((call) => (call.args === undefined || call.args === ''
      ? call : { ...call, args: replace(`${prefix}tool:${call.index}`, call.args, true) }));
    return withTexts(chunk, content, reasoning, toolCallChunks);
  };
  const texts = (inner: string | AIMessageChunk, prefix: string): string | AIMessageChunk => (typeof inner === 'string'
    ? (inner === '' ? '' : replace(`${prefix}text`, inner, false)) : chunkTexts(inner, prefix));
  if (typeof value === 'string' || value instanceof AIMessageChunk) return texts(value, '|');
  const data = value.data as { chunk?: unknown; output?: unknown } | undefined;
  const prefix = `${value.run_id}|`;
  if (value.event.endsWith('_stream') && data && (typeof data.chunk === 'string' || data.chunk instanceof AIMessageChunk)) {
    return { ...value, data: { ...data, chunk: texts(data.chunk, prefix) } };
  }
  if ((value.event.endsWith('_end') || value.event.endsWith('_error')) && data
    && (typeof data.output === 'string' || data.output instanceof AIMessageChunk)) {
    return { ...value, data: { ...data, output: texts(data.output, `${prefix}output|`) } };
  }
  return value;
}
