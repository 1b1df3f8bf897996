import { ContentFilteredError } from '../../src/errors/ContentFilteredError.js';
import { RxllmError } from '../../src/errors/RxllmError.js';

describe('ContentFilteredError', () => {
  it('names what refused the text, with the phrase or the category as fields and neither phrase nor text in its message', () => {
    const blocked = new ContentFilteredError('block', { phrase: 'darn' });
    expect(blocked).toBeInstanceOf(RxllmError);
    expect(blocked).toMatchObject({ name: 'ContentFilteredError', source: 'block', phrase: 'darn' });
    expect(blocked.category).toBeUndefined();
    expect(blocked.message).toBe('The content filter stopped the stream at a blocked phrase; the text before it was delivered');
    const classified = new ContentFilteredError('classify', { category: 'violence' });
    expect(classified).toMatchObject({ source: 'classify', category: 'violence' });
    expect(classified.phrase).toBeUndefined();
    expect(classified.message).toBe("The content filter's classifier refused the text (violence); the text before it was delivered");
    expect(new ContentFilteredError('classify').message).toBe("The content filter's classifier refused the text; the text before it was delivered");
  });

  it('masks a key-shaped category like every RxllmError message', () => {
    const key = `sk-proj-${'Ab3dE'.repeat(8)}`;
    expect(new ContentFilteredError('classify', { category: key }).message).not.toContain(key.slice(8, 20));
  });
});
