import MarkdownIt from 'markdown-it';
import { from, Subject } from 'rxjs';
import { markdownBlocks } from '../../src/documents/markdownBlocks.js';
import type { MarkdownBlock, MarkdownBlocksUpdate, MarkdownRender } from '../../src/documents/MarkdownBlock.js';
import { InvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';
import { StreamReset } from '../../src/resilience/StreamReset.js';
import { expectLinearGrowth } from '../support/expectLinearGrowth.js';
import { createTestScheduler, expectTerminalPassThrough, expectUnsubscriptionChain } from '../support/marbles.js';
import { expectSynchronousSourceStopped } from '../support/synchronousSource.js';

const md = new MarkdownIt('commonmark');
const render: MarkdownRender = (markdown, env) => md.render(markdown, env);

const title: MarkdownBlock = { kind: 'heading', source: '# Title\n', heading: { level: 1, text: 'Title' } };
const some: MarkdownBlock = { kind: 'paragraph', source: 'Some text.\n\n' };
const list: MarkdownBlock = { kind: 'list', source: '- one\n- two\n' };
const chunks = { a: '# Title\nSome', b: ' text.\n\n- one', c: '\n- two\n' };
const updates: Record<string, MarkdownBlocksUpdate> = {
  x: { settled: [title], tail: { kind: 'paragraph', source: 'Some' } },
  y: { settled: [some], tail: { kind: 'paragraph', source: '- one' } },
  z: { settled: [], tail: { kind: 'list', source: '- one\n- two\n' } },
  w: { settled: [list], tail: undefined },
};

/** Every update of a stream of text pieces, synchronously. */
function updatesOf(pieces: readonly string[], options: Parameters<typeof markdownBlocks>[0] = {}): MarkdownBlocksUpdate[] {
  const seen: MarkdownBlocksUpdate[] = [];
  from(pieces).pipe(markdownBlocks(options)).subscribe((update) => seen.push(update));
  return seen;
}

describe('markdownBlocks', () => {
  it('emits the blocks each chunk settles and the tail, then settles the rest at completion', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a----b--------c---|', chunks);
      const subs =        '^------------------!';
      const expected =    '-x----y--------z---(w|)';
      expectObservable(source.pipe(markdownBlocks())).toBe(expected, updates);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('reads the text of chat-model chunks and skips chunks without text', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const usage = new AIMessageChunk({ usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } });
      const source = cold('-a--u--b--|', { a: new AIMessageChunk({ content: 'Hello\n\n' }), u: usage, b: 'there' });
      expectObservable(source.pipe(markdownBlocks())).toBe('-x-----y--(z|)', {
        x: { settled: [{ kind: 'paragraph', source: 'Hello\n\n' }], tail: undefined },
        y: { settled: [], tail: { kind: 'paragraph', source: 'there' } },
        z: { settled: [{ kind: 'paragraph', source: 'there' }], tail: undefined },
      });
    });
  });

  it('renders each settled block once, with one env for the document, and the tail only when it is read', () => {
    const rendered: string[] = [];
    const counting: MarkdownRender = (markdown, env) => {
      rendered.push(markdown);
      return render(markdown, env);
    };
    const source = new Subject<string>();
    const seen: MarkdownBlocksUpdate[] = [];
    source.pipe(markdownBlocks({ render: counting })).subscribe((update) => seen.push(update));
    source.next('[a]: /url\n\nSee [a');
    source.next('].\n\n```\ncode');
    expect(seen[0].settled.map((block) => [block.kind, block.html])).toEqual([['definitions', '']]);
    expect(seen[1].settled.map((block) => block.html)).toEqual(['<p>See <a href="/url">a</a>.</p>\n']);
    expect(rendered).toEqual(['[a]: /url\n\n', 'See [a].\n\n']);
    const tail = seen[1].tail!;
    expect([tail.kind, tail.source]).toEqual(['codeFence', '```\ncode']);
    expect(tail.html).toBe('<pre><code>code</code></pre>\n');
    expect(tail.html).toBe('<pre><code>code</code></pre>\n');
    expect(rendered).toEqual(['[a]: /url\n\n', 'See [a].\n\n', '```\ncode']); // read twice, rendered once
    source.complete();
    expect(seen[2].settled.map((block) => block.html)).toEqual(['<pre><code>code</code></pre>\n']);
  });

  it('never changes a settled block', () => {
    const [first] = updatesOf(['Para\n\nmore'], { render });
    expect(Object.isFrozen(first.settled[0])).toBe(true);
    expect(() => Object.assign(first.settled[0], { html: 'changed' })).toThrow(TypeError);
  });

  it('holds a block with an undefined [label] until its definition arrives', () => {
    const seen = updatesOf(['See [1].\n\n', 'More.\n\n', '[1]: https://example.com\n\n', 'After.\n\n'], { render });
    expect(seen.map((update) => update.settled.length)).toEqual([0, 0, 3, 1]);
    expect(seen[2].settled.map((block) => block.html)).toEqual(['<p>See <a href="https://example.com">1</a>.</p>\n', '<p>More.</p>\n', '']);
    expect(seen[1].tail?.source).toBe('See [1].\n\nMore.\n\n');
  });

  it("settles such a block at once with unresolvedLabels: 'settle', and a later definition no longer links it", () => {
    const seen = updatesOf(['See [1].\n\n', '[1]: https://example.com\n'], { render, unresolvedLabels: 'settle' });
    expect(seen[0].settled.map((block) => block.html)).toEqual(['<p>See [1].</p>\n']);
  });

  it('keeps a definition still being written in the tail out of the blocks that follow', () => {
    const seen: MarkdownBlocksUpdate[] = [];
    from(['[a]: /u', 'rl\n\n[a]\n']).pipe(markdownBlocks({ render })).subscribe((update) => {
      void update.tail?.html; // a UI drawing the tail after each chunk
      seen.push(update);
    });
    const html = seen.flatMap((update) => update.settled.map((block) => block.html)).join('');
    expect(html).toBe(md.render('[a]: /url\n\n[a]\n'));
  });

  it('gives each character to the renderer once: the work grows linearly with the document', () => {
    const paragraph = 'Some *text* with `code[0]` and [a link](https://example.com).\n\n';
    expectLinearGrowth((size) => {
      let renderedChars = 0;
      const counting: MarkdownRender = (markdown, env) => {
        renderedChars += markdown.length;
        return render(markdown, env);
      };
      updatesOf([...paragraph.repeat(size)], { render: counting });
      return renderedChars;
    }, 200);
  });

  it('passes a StreamReset through and starts the document over after it', () => {
    createTestScheduler().run(({ cold, expectObservable }) => {
      const R = new StreamReset({ attempt: 2, error: { name: 'APIConnectionError', message: 'connection lost' } });
      const source = cold<string | StreamReset>('-a----R-a----b--------c---|', { ...chunks, R });
      // The voided attempt's tail ('Some') gets no last update; the new attempt's blocks are whole.
      expectObservable(source.pipe(markdownBlocks())).toBe('-x----R-x----y--------z---(w|)', { ...updates, R });
    });
  });

  it('checks its options where it is created', () => {
    expect(() => markdownBlocks({ render: 'yes' as unknown as MarkdownRender })).toThrow(InvalidOptionError);
    expect(() => markdownBlocks({ unresolvedLabels: 'later' as 'hold' })).toThrow(InvalidOptionError);
    expect(() => markdownBlocks({ html: 1 as unknown as boolean })).toThrow(InvalidOptionError);
  });

  it('propagates a source error after the updates before it, without a last update', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--#', { a: chunks.a }, new Error('boom'));
      const subs =        '^----!';
      expectObservable(source.pipe(markdownBlocks())).toBe('--x--#', { x: updates.x }, new Error('boom'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('propagates an error-only source', () => {
    expectTerminalPassThrough(markdownBlocks(), '#');
  });

  it('completes on an empty source', () => {
    expectTerminalPassThrough(markdownBlocks(), '|');
  });

  it('allows unsubscribing early and explicitly, leaving the settled blocks as they were', () => {
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a----b--------c---|', chunks);
      const unsub =       '---------!          ';
      const subs =        '^--------!          ';
      const expected =    '-x----y---          ';
      expectObservable(source.pipe(markdownBlocks()), unsub).toBe(expected, updates);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('does not break the unsubscription chain', () => {
    expectUnsubscriptionChain(markdownBlocks(), {
      source:        '-a----b--------c---|',
      unsub:         '---------!          ',
      expected:      '-x----y---          ',
      subscriptions: '^--------!          ',
    }, chunks, updates);
  });

  it('stops a synchronous source when unsubscribed', () => {
    expectSynchronousSourceStopped(markdownBlocks(), (i) => `Paragraph ${i}.\n\n`, { take: 3, produced: 3 });
  });

  it('handles a source that emits again while an update is being delivered', () => {
    const source = new Subject<string>();
    const settled: string[] = [];
    source.pipe(markdownBlocks()).subscribe((update) => {
      settled.push(...update.settled.map((block) => block.source));
      if (update.settled[0]?.source === 'one\n\n') source.next('two\n\n');
    });
    source.next('one\n\n');
    source.complete();
    expect(settled).toEqual(['one\n\n', 'two\n\n']);
  });
});
