import MarkdownIt from 'markdown-it';
import { MarkdownBlockSplitter } from '../../src/documents/MarkdownBlockSplitter.js';
import { AIMessageChunk } from '../../src/messages/AIMessageChunk.js';

const md = new MarkdownIt('commonmark');
const render = (markdown: string, env: Record<string, unknown>) => md.render(markdown, env);

describe('MarkdownBlockSplitter', () => {
  it('changes nothing for a chunk without text', () => {
    const splitter = new MarkdownBlockSplitter({});
    expect(splitter.pushChunk(new AIMessageChunk({ content: '' }))).toBeUndefined();
    expect(splitter.pushChunk('')).toBeUndefined();
    expect(splitter.finish()).toBeUndefined();
  });

  it("tells the tail's kind so far", () => {
    const splitter = new MarkdownBlockSplitter({});
    expect(splitter.push('Par').tail?.kind).toBe('paragraph');
    expect(splitter.push('a\n\n```ts\n').tail?.kind).toBe('codeFence');
    expect(splitter.push('x\n```\n').tail).toBeUndefined();
    expect(splitter.push('\n').tail).toEqual({ kind: 'blank', source: '\n' });
    expect(splitter.push('| a | b |\n|---|---|\n| 1').tail?.kind).toBe('table');
    expect(splitter.push(' | 2 |\n\n- item').tail?.kind).toBe('paragraph'); // a line not yet complete
    expect(splitter.push('\n').tail).toEqual({ kind: 'list', source: '- item\n' });
  });

  it('settles blank lines left at the end as a blank block, and blank lines before a block with it', () => {
    const splitter = new MarkdownBlockSplitter({ render });
    expect(splitter.push('a\n\n\n\nb\n\n\n').settled.map((block) => [block.kind, block.source])).toEqual([['paragraph', 'a\n\n'], ['paragraph', '\n\nb\n\n']]);
    expect(splitter.finish()?.settled).toEqual([{ kind: 'blank', source: '\n', html: '' }]);
  });

  it('keeps the first of two definitions of a label, as a whole-document render does, when blocks wait for them', () => {
    const text = '[x]\n\n[x]: /first\n\n[x]: /second\n';
    const splitter = new MarkdownBlockSplitter({ render });
    const blocks = [...splitter.push(text).settled, ...(splitter.finish()?.settled ?? [])];
    expect(blocks.map((block) => block.html).join('')).toBe(md.render(text));
    expect(blocks[0].html).toContain('/first');
  });

  it('reads \\r\\n and \\r line endings, also split between chunks', () => {
    const splitter = new MarkdownBlockSplitter({ render });
    const blocks = [...splitter.push('a\r').settled, ...splitter.push('\n\r\nb\r').settled, ...splitter.push('\r').settled, ...(splitter.finish()?.settled ?? [])];
    expect(blocks.map((block) => block.source)).toEqual(['a\r\n\r\n', 'b\r\r']);
    expect(blocks.map((block) => block.html).join('')).toBe(md.render('a\r\n\r\nb\r\r'));
  });
});
