import { Observable, Subscriber, type MonoTypeOperatorFunction } from 'rxjs';
import { restartOnReset } from '../operators/restartOnReset.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { PIIDetectedError } from '../errors/errors.js';
import { AIMessageChunk, type ToolCallChunk } from '../messages/AIMessageChunk.js';
import type { StreamEvent } from '../events/StreamEvent.js';
import type { PIIEntity } from './PIIDetector.js';
import { PIIScanner, detectorSet, type ScanOutput } from './PIIScanner.js';
import { replacementFor, resolveDetectors, type RedactPIIOptions } from './redactPIIInternals.js';

/** What `redactPII` accepts: text chunks, message chunks, or events that carry them. */
export type RedactableValue = string | AIMessageChunk | StreamEvent;

/**
 * Redacts personal data and secrets from a stream, across chunk boundaries.
 *
 * Each text (a stream of strings; a message's content, its reasoning and each tool call's
 * argument text; the chunks of `on_*_stream` events, per run) is searched as it arrives. Text is
 * released at once, in the value that brought it, unless an entity could still begin in it: then
 * only that tail is held, at most the longest entity its detector can match (254 characters for
 * an email, 40 for a card number, 8,192 for a PEM block; see each detector), and it is released
 * with the value that settles it, a message's finish chunk, a run's end event or the completion.
 * Tool-call arguments stay valid JSON: a replacement has no quote or backslash, and an entity
 * never starts inside an escape sequence.
 *
 * ```
 * source:  -a-b-c-|     a = 'mail bob@exa', b = 'mple.com now', c = '!'
 * result:  -x-y-z-|     x = 'mail ', y = '[EMAIL] ', z = 'now!'
 * ```
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { redactPII } from 'rxllm';
 * from(['Write to bob@exa', 'mple.com or call +44 20 7946 0958.'])
 *   .pipe(redactPII())
 *   .subscribe((text) => console.log(text)); // 'Write to ', '[EMAIL] or call ', '[PHONE].'
 * ```
 *
 * A `StreamReset` (a retry or fallback starting over) passes through: the text held from the
 * voided attempt is dropped with it, and the new attempt is searched from its start.
 *
 * @param options which detectors run (default: every built-in one) and what an entity becomes.
 * @return an operator emitting the same kind of values with every entity replaced, or failing
 *   with `PIIDetectedError` after the clean text in mode `'error'`.
 */
export function redactPII<T extends RedactableValue | StreamReset>(options: RedactPIIOptions = {}): MonoTypeOperatorFunction<T> {
  const detectors = resolveDetectors(options.detectors);
  const redact: MonoTypeOperatorFunction<T> = (source) => new Observable<T>((subscriber) => {
    const ownDetectors = resolveDetectors(detectors);
    const set = detectorSet(ownDetectors);
    const replace = replacementFor(options, ownDetectors);
    const stopAtFirst = options.mode === 'error';
    const scanners = new Map<string, PIIScanner>();
    /** The last stream event of each run, the envelope its held text is released in. */
    const lastStreamEvent = new Map<string, StreamEvent>();
    let found: PIIEntity | undefined;

    const scan = (key: string, fragment: string | undefined, final: boolean, json = false): string | undefined => {
      if (found) return undefined;
      let scanner = scanners.get(key);
      if (!scanner && (fragment === undefined || fragment === '')) return fragment;
      if (!scanner) scanners.set(key, scanner = new PIIScanner(set, replace, stopAtFirst, json));
      let output: ScanOutput = scanner.push(fragment ?? '');
      if (final && !output.stoppedAt) {
        const rest = scanner.flush();
        output = { text: output.text + rest.text, stoppedAt: rest.stoppedAt };
      }
      if (final) scanners.delete(key);
      if (output.stoppedAt) found = output.stoppedAt;
      return output.text;
    };

    const redactChunk = (chunk: AIMessageChunk, prefix: string, finalAll: boolean): AIMessageChunk => {
      const final = finalAll || chunk.finishReason !== undefined;
      const content = scan(`${prefix}content`, chunk.content, final) ?? '';
      const reasoning = scan(`${prefix}reasoning`, chunk.reasoning, final);
      const toolCallChunks: ToolCallChunk[] = chunk.toolCallChunks.map((call) => {
        const args = scan(`${prefix}tool:${call.index}`, call.args, final, true);
        return { ...call, ...(args !== undefined && { args }) };
      });
      if (final) {
        for (const key of [...scanners.keys()]) {
          const index = key.startsWith(`${prefix}tool:`) ? Number(key.slice(prefix.length + 5)) : undefined;
          if (index === undefined) continue;
          const args = scan(key, '', true, true) ?? '';
          if (args !== '') toolCallChunks.push({ index, args });
        }
      }
      return new AIMessageChunk({
        ...(chunk.id !== undefined && { id: chunk.id }),
        content,
        ...(reasoning !== undefined && { reasoning }),
        toolCallChunks,
        ...(chunk.usage !== undefined && { usage: chunk.usage }),
        ...(chunk.finishReason !== undefined && { finishReason: chunk.finishReason }),
        responseMetadata: chunk.responseMetadata,
      });
    };

    const hasPrefix = (prefix: string): boolean => [...scanners.keys()].some((key) => key.startsWith(prefix));

    /** The held text of one run (or of the plain stream) as one value, or nothing when none is held. */
    const flushed = (prefix: string, template: RedactableValue | undefined): RedactableValue | undefined => {
      if (!hasPrefix(prefix)) return undefined;
      if (template === undefined || typeof template === 'string') return scan(`${prefix}text`, '', true) || undefined;
      if (template instanceof AIMessageChunk) {
        const chunk = redactChunk(new AIMessageChunk(), prefix, true);
        return chunk.content || chunk.reasoning || chunk.toolCallChunks.length ? chunk : undefined;
      }
      const inner = template.data?.chunk;
      const value = flushed(prefix, inner);
      return value === undefined ? undefined : { ...template, data: { ...template.data, chunk: value } };
    };

    const redactValue = (value: RedactableValue, prefix: string): RedactableValue | undefined => {
      if (typeof value === 'string') {
        const text = scan(`${prefix}text`, value, false);
        return text ? text : undefined;
      }
      if (value instanceof AIMessageChunk) return redactChunk(value, prefix, false);
      return redactEvent(value);
    };

    const emitFailure = (): boolean => {
      if (!found) return false;
      inner.unsubscribe();
      subscriber.error(new PIIDetectedError(found.kind));
      return true;
    };

    const redactEvent = (event: StreamEvent): StreamEvent | undefined => {
      const data = event.data as { chunk?: unknown; output?: unknown } | undefined;
      const prefix = `${event.run_id}|`;
      if (event.event.endsWith('_stream') && data && (typeof data.chunk === 'string' || data.chunk instanceof AIMessageChunk)) {
        lastStreamEvent.set(event.run_id, event);
        const chunk = redactValue(data.chunk, prefix);
        return chunk === undefined ? undefined : { ...event, data: { ...data, chunk } };
      }
      if (event.event.endsWith('_end') || event.event.endsWith('_error')) {
        const template = lastStreamEvent.get(event.run_id);
        lastStreamEvent.delete(event.run_id);
        const rest = template && flushed(prefix, template);
        if (rest !== undefined) subscriber.next(rest as T);
        if (found) return undefined;
        if (data && (typeof data.output === 'string' || data.output instanceof AIMessageChunk)) {
          const whole = `${prefix}output|`;
          const output = typeof data.output === 'string' ? scan(`${whole}text`, data.output, true) ?? '' : redactChunk(data.output, whole, true);
          return { ...event, data: { ...data, output } };
        }
      }
      return event;
    };

    const flushAll = (): void => {
      for (const key of [...scanners.keys()]) {
        if (!scanners.has(key) || found) continue;
        const prefix = key.slice(0, key.lastIndexOf('|') + 1);
        const runId = prefix.slice(0, -1);
        const template = lastStreamEvent.get(runId);
        const kind = key.slice(prefix.length);
        const rest = template ? flushed(prefix, template)
          : kind === 'text' ? flushed(prefix, '') : flushed(prefix, new AIMessageChunk());
        if (rest !== undefined) subscriber.next(rest as T);
      }
    };

    // A Subscriber of our own, so that a synchronous source sees it closed when we stop early.
    const inner: Subscriber<T> = new Subscriber<T>({
      next: (value) => {
        const output = redactValue(value as RedactableValue, '|');
        if (output !== undefined) subscriber.next(output as T);
        emitFailure();
      },
      error: (error: unknown) => {
        flushAll();
        if (!emitFailure()) subscriber.error(error);
      },
      complete: () => {
        flushAll();
        if (!emitFailure()) subscriber.complete();
      },
    });
    subscriber.add(inner);
    source.subscribe(inner);
  });
  // One set of scanners per attempt: a marker drops what the voided attempt held.
  return restartOnReset(redact) as MonoTypeOperatorFunction<T>;
}
