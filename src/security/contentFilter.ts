import { Observable, Subscriber, type MonoTypeOperatorFunction } from 'rxjs';
import { ContentFilteredError } from '../errors/ContentFilteredError.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { positiveCount } from '../errors/optionChecks.js';
import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { DISPATCHED_BY, eventTypeOf, type StreamEvent } from '../events/StreamEvent.js';
import { restartOnReset } from '../operators/restartOnReset.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import { blocklist, type Blocklist } from './blocklistInternals.js';
import { ClassifiedWindows } from './classifiedWindowsInternals.js';
import type { ContentFilterAction, ContentFilterOptions, ContentFlag } from './ContentFilterOptions.js';
import type { PIIEntity } from './PIIDetector.js';
import type { RedactableValue } from './redactPII.js';
import { PIIScanner, detectorSet } from './PIIScanner.js';
import { TextParts, mapTexts, type TextBearingValue, type TextScanner } from './textPartsInternals.js';

const WHERE = 'contentFilter';
const ACTIONS: readonly ContentFilterAction[] = ['stop', 'replace', 'flag'];

/** A value to emit once its texts are judged, or the end of the stream in its place in line. */
type Entry =
  | { value: TextBearingValue; parts: Array<{ key: string; length: number }>; flags: ContentFlag[] }
  | { end: 'complete' }
  | { end: 'error'; error: unknown };

/** The options, checked where the operator is created. */
function checked(options: ContentFilterOptions): { list?: Blocklist; windowChars: number } {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(WHERE, 'options', 'an object', options);
  const { block, classify, action, replacement, onFlag } = options;
  if (block !== undefined && (!Array.isArray(block) || block.some((entry) => typeof entry !== 'string' || entry.trim() === ''))) {
    throw new InvalidOptionError(WHERE, 'block', 'an array of words or phrases (each with a non-space character)', block);
  }
  if (classify !== undefined && typeof classify !== 'function') throw new InvalidOptionError(WHERE, 'classify', 'a function (text) => Observable<ContentVerdict>', classify);
  if (!block?.length && !classify) throw new InvalidOptionError(WHERE, 'block', 'a non-empty list of words or phrases when there is no classify', block);
  if (!ACTIONS.includes(action)) throw new InvalidOptionError(WHERE, 'action', "'stop', 'replace' or 'flag'", action);
  if (replacement !== undefined && typeof replacement !== 'string' && typeof replacement !== 'function') {
    throw new InvalidOptionError(WHERE, 'replacement', 'a string or a function (flag) => string', replacement);
  }
  if (onFlag !== undefined && typeof onFlag !== 'function') throw new InvalidOptionError(WHERE, 'onFlag', 'a function (flag) => void', onFlag);
  return {
    ...(block?.length && { list: blocklist(block) }),
    windowChars: positiveCount(WHERE, 'windowChars', options.windowChars, 200),
  };
}

/** Text that passes through untouched, for a filter without a blocklist. */
function passThrough(): TextScanner {
  return { push: (text) => ({ text }), flush: () => ({ text: '' }) };
}

/** A string, or the string chunk of a stream event, that the classifier's replacement emptied. */
function emptied(value: TextBearingValue): boolean {
  if (typeof value === 'string') return value === '';
  return !(value instanceof AIMessageChunk) && value.event.endsWith('_stream') && value.data?.chunk === '';
}

/** The `content_flagged` custom event of a flag found in `event`'s run. */
function flagEvent(event: StreamEvent, flag: ContentFlag): StreamEvent {
  const flagged: StreamEvent = {
    event: 'on_custom_event', name: 'content_flagged', run_id: event.run_id, parent_ids: event.parent_ids,
    tags: event.tags, metadata: event.metadata, data: flag,
  };
  const type = eventTypeOf(event);
  const source = type === 'custom' ? (event as { [DISPATCHED_BY]?: unknown })[DISPATCHED_BY] : { name: event.name, type };
  if (source) Object.defineProperty(flagged, DISPATCHED_BY, { value: source });
  return flagged;
}

/**
 * Filters a stream against a blocklist and/or a classifier, across chunk boundaries.
 *
 * `block` phrases are found case-insensitively, as whole words, however the text is cut. Text is
 * released in the value that brought it unless a phrase could still begin in it: then only that
 * tail is held, at most the longest phrase, and released synchronously with the value that
 * settles it (as `redactPII` does; it is the same scanner).
 *
 * `classify` judges windows of at most `windowChars` characters (ending at a sentence end or a
 * space): a window is sent as soon as it is complete, and its text is held until its verdict
 * arrives. Values are emitted in order, each once every window its text touches is judged.
 * Unsubscribing cancels the classifications still running. A classifier that fails, or completes
 * without a verdict, fails the stream after the text judged before it.
 *
 * Works on strings, on `AIMessageChunk`s (content, reasoning and each tool call's arguments,
 * which are judged whole by the classifier and stay valid JSON) and on stream events (per run).
 *
 * ```
 * block: ['darn'], action: 'replace'
 * source:  -a-b-c-|     a = 'oh da', b = 'rn it', c = '!'
 * result:  -x-y-z-|     x = 'oh ', y = '[FILTERED] it', z = '!'
 * ```
 *
 * @example
 * ```ts
 * import { from, of } from 'rxjs';
 * import { contentFilter } from 'rxllm';
 * from(['That is da', 'rn good. ', 'Really.'])
 *   .pipe(contentFilter({
 *     block: ['darn'],
 *     classify: (text) => of({ flagged: text.includes('Really'), category: 'emphasis' }),
 *     action: 'replace',
 *   }))
 *   .subscribe((text) => console.log(text)); // 'That is ', '[FILTERED] good. ', '[FILTERED]'
 * ```
 *
 * @param options the blocklist, the classifier and what refused text becomes.
 * @return an operator emitting the same kind of values, filtered; with `action: 'stop'` it fails
 *   with `ContentFilteredError` after the text before the refused text.
 */
export function contentFilter<T extends RedactableValue | StreamReset>(options: ContentFilterOptions): MonoTypeOperatorFunction<T> {
  const { list, windowChars } = checked(options);
  const { action, classify, onFlag } = options;
  const replacementFor = (flag: ContentFlag): string => {
    const replacement = options.replacement ?? '[FILTERED]';
    return typeof replacement === 'string' ? replacement : String(replacement(flag));
  };

  const filter: MonoTypeOperatorFunction<T> = (source) => new Observable<T>((subscriber) => {
    // A copy per subscription, so that two never share a regex's lastIndex.
    const set = list && detectorSet([{
      ...list.detector,
      pattern: new RegExp(list.detector.pattern.source, list.detector.pattern.flags),
      tail: new RegExp(list.detector.tail!.source, list.detector.tail!.flags),
    }]);
    const queue: Entry[] = [];
    /** Flags the blocklist found while one input was scanned. */
    let blockFlags: ContentFlag[] = [];
    /** Set while an input is scanned, so that a verdict arriving meanwhile waits for the scan to end. */
    let scanning = false;
    let draining = false;

    const blockReplace = (json: boolean) => (entity: PIIEntity): string => {
      const flag: ContentFlag = { source: 'block', phrase: list!.phraseOf(entity.text), text: entity.text };
      if (action === 'flag') {
        blockFlags.push(flag);
        return entity.text;
      }
      const text = replacementFor(flag);
      return json ? JSON.stringify(text).slice(1, -1) : text;
    };

    const windows = classify && new ClassifiedWindows(classify, windowChars, () => drain());
    const parts = new TextParts((key, json) => {
      const scanner: TextScanner = set ? new PIIScanner(set, blockReplace(json), action === 'stop', json) : passThrough();
      if (!windows) return scanner;
      return {
        push: (fragment) => {
          const output = scanner.push(fragment);
          windows.append(key, output.text, json);
          return output;
        },
        flush: () => {
          const output = scanner.flush();
          windows.append(key, output.text, json);
          windows.close(key);
          return output;
        },
      };
    });

    const enqueue = (values: readonly TextBearingValue[], end?: Entry): void => {
      values.forEach((value, i) => {
        const texts: Array<{ key: string; length: number }> = [];
        if (windows) mapTexts(value, (key, text) => (texts.push({ key, length: text.length }), text));
        queue.push({ value, parts: texts, flags: i === values.length - 1 ? blockFlags : [] });
      });
      blockFlags = [];
      if (parts.stoppedAt) {
        windows?.closeAll();
        queue.push({ end: 'error', error: new ContentFilteredError('block', { phrase: list!.phraseOf(parts.stoppedAt.text) }) });
      } else if (end) {
        windows?.closeAll();
        queue.push(end);
      }
    };

    /** The value with its texts judged; `stop` is the error to end with. */
    const judged = (entry: Extract<Entry, { value: unknown }>): { value?: TextBearingValue; flags: ContentFlag[]; stop?: unknown } => {
      if (!windows) return { value: entry.value, flags: entry.flags };
      const flags = [...entry.flags];
      let stop: unknown;
      let delivered = false;
      const value = mapTexts(entry.value, (key, text, json) => {
        const result = windows.release(key, text.length, (window, verdict) => {
          if (action === 'stop') return 'stop';
          if (action === 'flag') return undefined;
          const replacement = replacementFor({ source: 'classify', ...(verdict.category !== undefined && { category: verdict.category }), text: window });
          return json ? JSON.stringify(replacement) : replacement;
        });
        if (stop !== undefined) return '';
        if (action === 'flag') {
          for (const { window, verdict } of result.refused) flags.push({ source: 'classify', ...(verdict.category !== undefined && { category: verdict.category }), text: window });
        }
        if (result.stop) stop = result.stop.error ?? new ContentFilteredError('classify', { ...(result.stop.verdict?.category !== undefined && { category: result.stop.verdict.category }) });
        if (result.text !== '') delivered = true;
        return result.text;
      });
      return { ...((stop === undefined || delivered) && { value }), flags, ...(stop !== undefined && { stop }) };
    };

    const report = (flags: readonly ContentFlag[], carrier: TextBearingValue): void => {
      for (const flag of flags) {
        if (subscriber.closed) return;
        if (typeof carrier !== 'string' && !(carrier instanceof AIMessageChunk)) subscriber.next(flagEvent(carrier, flag) as T);
        onFlag?.(flag);
      }
    };

    function drain(): void {
      if (draining || scanning) return;
      draining = true;
      try {
        while (queue.length && !subscriber.closed) {
          const entry = queue[0];
          if ('end' in entry) {
            queue.length = 0;
            if (entry.end === 'complete') subscriber.complete();
            else subscriber.error(entry.error);
            break;
          }
          if (windows && !windows.ready(entry.parts)) break;
          queue.shift();
          const { value, flags, stop } = judged(entry);
          if (value !== undefined && !emptied(value)) subscriber.next(value as T);
          report(flags, value ?? entry.value);
          if (stop !== undefined) {
            queue.length = 0;
            subscriber.error(stop);
          }
        }
      } catch (error) {
        // A throwing onFlag ends the stream like a throwing projection would.
        queue.length = 0;
        subscriber.error(error);
      } finally {
        draining = false;
      }
    }

    const scanned = (scan: () => void): void => {
      scanning = true;
      try {
        scan();
      } finally {
        scanning = false;
      }
      drain();
    };

    // A Subscriber of our own, so that a synchronous source sees it closed when we stop early.
    const inner: Subscriber<T> = new Subscriber<T>({
      next: (value) => scanned(() => {
        enqueue(parts.push(value as TextBearingValue));
        if (parts.stoppedAt) inner.unsubscribe();
      }),
      error: (error: unknown) => scanned(() => enqueue(parts.end(), { end: 'error', error })),
      complete: () => scanned(() => enqueue(parts.end(), { end: 'complete' })),
    });
    subscriber.add(inner);
    subscriber.add(() => windows?.cancel());
    source.subscribe(inner);
  });
  // One set of scanners and windows per attempt: a marker drops what the voided attempt held.
  return restartOnReset(filter) as MonoTypeOperatorFunction<T>;
}
