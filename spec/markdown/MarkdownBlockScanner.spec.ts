import { MarkdownBlockScanner, type ScannedBlock } from '../../src/markdown/MarkdownBlockScanner.js';

/** Each line's closed blocks as `kind@endLine`, and those closed by the end. */
function scan(text: string, options = {}): string[] {
  const scanner = new MarkdownBlockScanner(options);
  const show = (block: ScannedBlock) => `${block.kind}@${block.endLine}`;
  const lines = text.split('\n');
  return [...lines.flatMap((line) => scanner.pushLine(line).map(show)), ...scanner.finish().map(show)];
}

describe('MarkdownBlockScanner', () => {
  it('closes a paragraph at the blank line after it (taking the line) or at the block that interrupts it', () => {
    expect(scan('para\n\nnext\n# heading\n***')).toEqual(['paragraph@2', 'paragraph@3', 'heading@4', 'thematicBreak@5']);
  });

  it('closes a heading and a thematic break on their own line', () => {
    const scanner = new MarkdownBlockScanner();
    expect(scanner.pushLine('## Title')).toEqual([{ kind: 'heading', endLine: 1, heading: { level: 2, text: 'Title' }, definitions: [], labels: [] }]);
    expect(scanner.pushLine('---')).toEqual([{ kind: 'thematicBreak', endLine: 2, definitions: [], labels: [] }]);
  });

  it('turns a paragraph over an underline into a heading, unless it held only definitions', () => {
    const scanner = new MarkdownBlockScanner();
    scanner.pushLine('Title');
    expect(scanner.pushLine('=====').map((block) => block.heading)).toEqual([{ level: 1, text: 'Title' }]);
    expect(scan('[a]: /url\n===\nmore\n')).toEqual(['paragraph@4']);
  });

  it('keeps a fence open across blank lines until its closing fence', () => {
    expect(scan('```\na\n\n~~~\n````\nafter')).toEqual(['codeFence@5', 'paragraph@6']);
  });

  it('keeps a list open while an item may follow, through blank lines and indented continuations', () => {
    expect(scan('- a\n\n  more\n- b\n\n      code\nafter')).toEqual(['list@6', 'paragraph@7']);
  });

  it('keeps indented code open through blank lines', () => {
    expect(scan('    a\n\n    b\n\nafter')).toEqual(['indentedCode@4', 'paragraph@5']);
  });

  it('closes a quote at a line without > unless it is a lazy continuation', () => {
    expect(scan('> a\nlazy\n\n> b\n---')).toEqual(['blockquote@3', 'blockquote@4', 'thematicBreak@5']);
  });

  it('reads HTML blocks by their kind: a comment runs to -->, a <div> to a blank line', () => {
    expect(scan('<!--\n\n-->\n<div>\nx\n\nafter')).toEqual(['html@3', 'html@6', 'paragraph@7']);
    expect(scan('<div>\nx\n\nafter', { html: false })).toEqual(['paragraph@3', 'paragraph@4']);
  });

  it('reports the labels a block uses and defines', () => {
    const scanner = new MarkdownBlockScanner();
    scanner.pushLine('- See [Foo] and `[code]`');
    scanner.pushLine('- [bar]: /url');
    expect(scanner.finish()).toEqual([{ kind: 'list', endLine: 2, definitions: ['BAR'], labels: ['FOO'] }]);
  });

  it('names tables and definition-only paragraphs', () => {
    expect(scan('| a | b |\n|---|---|\n| 1 | 2 |\n\n[x]: /y')).toEqual(['table@4', 'definitions@5']);
  });

  it('counts a tab to the next multiple of four columns', () => {
    expect(scan('-\tfoo\n\n\tbar\nafter')).toEqual(['list@4']);
  });
});
