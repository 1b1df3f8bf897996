import { textAnswer, type Transcript } from './Transcript.js';

/** What the offline server says when no other transcript matches. */
export const fallback: Transcript = {
  name: 'fallback',
  keywords: [],
  chunks: textAnswer([
    'This', ' answer', ' comes', ' from', ' the', ' offline', ' demo', ' server', ',', ' not', ' from', ' a', ' model',
    '.', ' It', ' knows', ' a', ' few', ' scripted', ' answers', ':', ' ask', ' what', ' AI', ' is', ',', ' how',
    ' streaming', ' works', ' with', ' RxJS', ',', ' or', ' about', ' the', ' weather', ' (with', ' a', ' `get_weather`',
    ' tool', ' bound', ').', ' Set', ' OPENAI_API_KEY', ' to', ' talk', ' to', ' a', ' real', ' model', '.',
  ]),
};
