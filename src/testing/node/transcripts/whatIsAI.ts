import { textAnswer, type Transcript } from './Transcript.js';

/** A short explanation of AI, streamed token by token. */
export const whatIsAI: Transcript = {
  name: 'what-is-ai',
  keywords: ['ai', 'artificial intelligence', 'machine learning'],
  chunks: textAnswer([
    'Artificial', ' intelligence', ' (AI)', ' is', ' the', ' craft', ' of', ' building', ' software', ' that', ' does',
    ' things', ' we', ' used', ' to', ' think', ' needed', ' a', ' mind', ':', ' understanding', ' language', ',',
    ' recognising', ' images', ',', ' planning', ' and', ' learning', ' from', ' examples', '.', '\n\n', 'Most', ' of',
    ' today', "'s", ' AI', ' is', ' machine', ' learning', ':', ' instead', ' of', ' writing', ' rules', ' by', ' hand',
    ',', ' we', ' show', ' a', ' model', ' many', ' examples', ' and', ' let', ' it', ' find', ' the', ' patterns',
    '.', ' Large', ' language', ' models', ' take', ' this', ' further', ':', ' trained', ' to', ' predict', ' the',
    ' next', ' word', ' over', ' a', ' vast', ' amount', ' of', ' text', ',', ' they', ' can', ' answer', ' questions',
    ',', ' summarise', ' and', ' write', ' code', ' —', ' one', ' token', ' at', ' a', ' time', ',', ' which', ' is',
    ' exactly', ' why', ' streaming', ' their', ' answers', ' matters', '.',
  ]),
};
