import { catchError, concat, defer, mergeMap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { AIMessageChunk } from '../messages/AIMessageChunk.js';
import { AIMessage, HumanMessage, type BaseMessage } from '../messages/messages.js';
import { toMessages, type ChatModelInput } from '../messages/toMessages.js';
import { isPlainTextChunk } from '../operators/textChunkInternals.js';

/** What `withRetry({ afterFirstChunk: 'continue' })` asks a chat model by default. */
export const DEFAULT_CONTINUE_PROMPT = 'Your previous reply was cut off. Continue it from exactly where it stopped, without repeating any of it.';

/** The messages of a call that continues a cut-off answer: the original ones, the partial answer, and the request to go on. */
export function continuationMessages(input: ChatModelInput, partialText: string, prompt: string | null): BaseMessage[] {
  return [...toMessages(input), new AIMessage(partialText), ...(prompt ? [new HumanMessage(prompt)] : [])];
}

/**
 * Drops the start of a continuation that repeats the end of `previous` (models often restate the
 * last words they were given). The first chunks are held while their text could still be such a
 * repeat — while it occurs inside `previous` — and released, trimmed, as soon as it cannot.
 */
export function dropRepeatedStart(previous: string): MonoTypeOperatorFunction<AIMessageChunk> {
  return (source) => defer(() => {
    let held: AIMessageChunk[] | undefined = [];
    let text = '';
    /** The held chunks, trimmed; none once released. */
    const release = (): AIMessageChunk[] => {
      const chunks = held ?? [];
      held = undefined;
      return trimStart(chunks, longestOverlap(previous, text));
    };
    const chunks$ = source.pipe(mergeMap((chunk): AIMessageChunk[] => {
      if (!held) return [chunk];
      held.push(chunk);
      if (chunk.toolCallChunks.length > 0) return release();
      text += chunk.content;
      return couldStillRepeat(previous, text) ? [] : release();
    }));
    // The end, or an error, releases what is still held before it.
    return concat(chunks$, defer(release)).pipe(catchError((error: unknown) => concat(release(), throwError(() => error))));
  });
}

/** True while `text` occurs in `previous` somewhere a longer repeat of its end could start. */
function couldStillRepeat(previous: string, text: string): boolean {
  const at = previous.indexOf(text);
  return at !== -1 && at + text.length < previous.length;
}

/**
 * How much of the start of `text` restates the end of `previous` and may be dropped: the longest
 * start of `text` that is also the end of `previous` and begins where a word of `previous` begins
 * (or at a space or punctuation). So "Hello wor" + "world" drops "wor", but "The price is 10" +
 * "0 dollars." drops nothing: the "0" would cut into a word, and dropping it would change what the
 * continuation says. Linear: the candidates are the borders of one prefix-function table.
 */
export function longestOverlap(previous: string, text: string): number {
  const pattern = text.slice(0, previous.length);
  if (pattern.length === 0) return 0;
  const fallback = new Array<number>(pattern.length).fill(0);
  for (let i = 1, k = 0; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = fallback[k - 1];
    if (pattern[i] === pattern[k]) k++;
    fallback[i] = k;
  }
  let matched = 0;
  for (let i = previous.length - pattern.length; i < previous.length; i++) {
    while (matched > 0 && (matched === pattern.length || previous[i] !== pattern[matched])) matched = fallback[matched - 1];
    if (previous[i] === pattern[matched]) matched++;
  }
  // Every shorter overlap is a border of the longest: walk them down to one that starts a word.
  while (matched > 0 && !startsWord(previous, previous.length - matched)) matched = fallback[matched - 1];
  return matched;
}

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** True when position `at` of `text` is not inside a word: a word starts there, or a space or sign is on either side. */
function startsWord(text: string, at: number): boolean {
  return at === 0 || !WORD_CHARACTER.test(text[at - 1]) || !WORD_CHARACTER.test(text[at]);
}

/** The chunks without their first `count` characters of text; chunks left with nothing are dropped. */
function trimStart(chunks: AIMessageChunk[], count: number): AIMessageChunk[] {
  let left = count;
  const trimmed: AIMessageChunk[] = [];
  for (const chunk of chunks) {
    if (left === 0 || chunk.content.length === 0) {
      trimmed.push(chunk);
      continue;
    }
    const cut = Math.min(left, chunk.content.length);
    left -= cut;
    const rest = chunk.content.slice(cut);
    if (rest === '' && isPlainTextChunk(chunk)) continue;
    trimmed.push(new AIMessageChunk({ ...chunk, toolCallChunks: chunk.toolCallChunks, responseMetadata: chunk.responseMetadata, content: rest }));
  }
  return trimmed;
}
