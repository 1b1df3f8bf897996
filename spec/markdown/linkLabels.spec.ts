import { linkLabelsOf, normalizeLabel } from '../../src/markdown/linkLabels.js';

describe('linkLabelsOf', () => {
  it('finds shortcut, collapsed, full and nested labels, normalized', () => {
    expect(linkLabelsOf('See [Foo  Bar], [baz][] and [text][Ref] or [a [b] c].')).toEqual(['FOO BAR', 'BAZ', 'TEXT', 'REF', 'B', 'A [B] C']);
  });

  it('leaves out inline links, code spans, escaped brackets and empty labels', () => {
    expect(linkLabelsOf('[a](https://x.y "t") `arr[0]` ``x[1]`` \\[no] [ ] [<b>](<u v>)')).toEqual([]);
  });

  it('keeps a bracket whose (…) is not a well-formed link tail', () => {
    expect(linkLabelsOf('[a](b c d) [e](f')).toEqual(['A', 'E']);
  });

  it('treats an unclosed backtick run as text', () => {
    expect(linkLabelsOf('`open [x]')).toEqual(['X']);
  });
});

describe('normalizeLabel', () => {
  it('trims, joins whitespace and folds case', () => {
    expect(normalizeLabel('  Foo \n\t bar ')).toBe('FOO BAR');
    expect(normalizeLabel('ΑΓΩ')).toBe(normalizeLabel('αγω'));
  });
});
