import { parseReferenceDefinitions } from '../../src/markdown/referenceDefinitions.js';

describe('parseReferenceDefinitions', () => {
  it('reads the definitions that open a paragraph and returns the text after them', () => {
    expect(parseReferenceDefinitions('[1]: https://a.example\n[Two]: <b c> "title"\n[3]:\n/c\n(t)\nText [1]'))
      .toEqual({ labels: ['1', 'TWO', '3'], rest: 'Text [1]' });
  });

  it('stops at a line that is not one', () => {
    expect(parseReferenceDefinitions('Text\n[a]: /url')).toEqual({ labels: [], rest: 'Text\n[a]: /url' });
    expect(parseReferenceDefinitions('[a]:')).toEqual({ labels: [], rest: '[a]:' });
    expect(parseReferenceDefinitions('[a]: /url "title" junk')).toEqual({ labels: [], rest: '[a]: /url "title" junk' });
    expect(parseReferenceDefinitions('[a[b]]: /url')).toEqual({ labels: [], rest: '[a[b]]: /url' });
  });

  it('ends a definition at its destination when the title on the next line fails', () => {
    expect(parseReferenceDefinitions('[a]: /url\n"not closed')).toEqual({ labels: ['A'], rest: '"not closed' });
  });
});
