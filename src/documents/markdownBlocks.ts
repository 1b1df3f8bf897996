import { concat, defer, EMPTY, filter, map, of, type OperatorFunction } from 'rxjs';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { oneOf } from '../errors/optionChecks.js';
import { RxllmError } from '../errors/RxllmError.js';
import { restartOnReset } from '../operators/restartOnReset.js';
import type { TextChunk } from '../operators/TextChunk.js';
import type { StreamReset } from '../resilience/StreamReset.js';
import type { MarkdownBlocksOptions, MarkdownBlocksUpdate } from './MarkdownBlock.js';
import { MarkdownBlockSplitter } from './MarkdownBlockSplitter.js';

/**
 * Cuts a streaming Markdown answer into blocks that are final and a live tail, so that a UI
 * renders each block once instead of the whole text on every chunk.
 *
 * After each chunk that adds text it emits `{ settled, tail }`: `settled` are the top-level blocks
 * (paragraph, heading, list, code fence, table, quote, HTML, …) that this chunk made final, each
 * emitted once over the stream; `tail` is the rest, the block still being written. When the source
 * completes, a last update settles what is left. The settled sources and the last tail's source
 * add up to the input, and with `render` the settled blocks' HTML plus the tail's equals the
 * renderer's HTML for the whole text: a block settles only when nothing after it can change it
 * (CommonMark's block rules decide: a list stays open while an item may follow, a fence until it
 * closes, a `[label]` until a definition may no longer come; see `unresolvedLabels`).
 *
 * Work is linear in the document: each line is scanned once, each settled block rendered once
 * (with one `env` shared by all, so reference definitions resolve). The tail's `html` is rendered
 * when read, so a UI that draws once per frame pays for it once per frame. No Markdown library is
 * needed: `render` brings one (`markdown-it`, for instance).
 *
 * ```
 * source:            -a----b--------c---|      a: '# Title\nSome', b: ' text.\n\n- one', c: '\n- two\n'
 * markdownBlocks():  -x----y--------z---(w|)   x: { settled: [# Title], tail: 'Some' }
 *                                              y: { settled: [Some text.], tail: '- one' }
 *                                              z: { settled: [], tail: '- one\n- two\n' }
 *                                              w: { settled: [the list], tail: undefined }
 * ```
 *
 * A `StreamReset` (a retry or fallback starting over) passes through and the document starts over
 * after it: the voided attempt's tail gets no last update, and its settled blocks are for the UI
 * to drop at the marker.
 *
 * Unsubscribing cancels the source (a model's request) at once; blocks already settled stay valid.
 * An error is passed on after the updates before it, with no last update.
 *
 * @example
 * ```ts
 * import MarkdownIt from 'markdown-it';
 * import { markdownBlocks } from 'rxllm';
 * const md = new MarkdownIt();
 * model.stream('Write a report').pipe(markdownBlocks({ render: (src, env) => md.render(src, env), html: false }))
 *   .subscribe(({ settled, tail }) => {
 *     for (const block of settled) done.insertAdjacentHTML('beforeend', block.html!);
 *     live.innerHTML = tail?.html ?? '';
 *   });
 * ```
 *
 * @param options `render` for HTML; `unresolvedLabels` for text full of `[1]`-style brackets;
 *   `html: false` when the renderer ignores raw HTML.
 * @return An operator emitting a `MarkdownBlocksUpdate` after each chunk with text, and one at completion.
 */
export function markdownBlocks<T extends TextChunk | StreamReset = TextChunk>(options: MarkdownBlocksOptions = {}): OperatorFunction<T, MarkdownBlocksUpdate | Extract<T, StreamReset>> {
  if (typeof options !== 'object' || options === null) throw new RxllmError('markdownBlocks: pass an options object such as { render }');
  if (options.render !== undefined && typeof options.render !== 'function') {
    throw new InvalidOptionError('markdownBlocks', 'render', 'a function (markdown, env) => html, such as (src, env) => md.render(src, env)', options.render);
  }
  if (options.html !== undefined && typeof options.html !== 'boolean') throw new InvalidOptionError('markdownBlocks', 'html', 'true or false', options.html);
  const checked: MarkdownBlocksOptions = {
    ...options,
    unresolvedLabels: oneOf<'hold' | 'settle'>('markdownBlocks', 'unresolvedLabels', options.unresolvedLabels, 'hold', ['hold', 'settle']),
  };
  const blocks: OperatorFunction<TextChunk, MarkdownBlocksUpdate> = (source) => defer(() => {
    const splitter = new MarkdownBlockSplitter(checked);
    return concat(
      source.pipe(map((chunk) => splitter.pushChunk(chunk)), filter((update) => update !== undefined)),
      defer(() => {
        const last = splitter.finish();
        return last ? of(last) : EMPTY;
      }),
    );
  });
  // One splitter per attempt: a marker drops the voided attempt's state.
  return restartOnReset(blocks) as OperatorFunction<T, MarkdownBlocksUpdate | Extract<T, StreamReset>>;
}
