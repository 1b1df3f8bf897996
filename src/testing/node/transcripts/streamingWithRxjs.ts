import { textAnswer, type Transcript } from './Transcript.js';

/** Why an Observable is a natural shape for a streamed answer. */
export const streamingWithRxjs: Transcript = {
  name: 'streaming-with-rxjs',
  keywords: ['rxjs', 'observable', 'stream', 'reactive'],
  chunks: textAnswer([
    'A', ' streamed', ' answer', ' is', ' a', ' sequence', ' of', ' values', ' over', ' time', ',', ' which', ' is',
    ' what', ' an', ' Observable', ' models', '.', ' Each', ' token', ' arrives', ' as', ' a', ' `next`', ',', ' the',
    ' end', ' of', ' the', ' answer', ' is', ' `complete`', ',', ' and', ' a', ' failure', ' is', ' `error`', '.',
    '\n\n', 'That', ' gives', ' you', ' the', ' whole', ' RxJS', ' toolbox', ' for', ' free', ':', ' `takeUntil`',
    ' to', ' cancel', ',', ' `timeout`', ' to', ' bound', ' a', ' slow', ' model', ',', ' `scan`', ' to', ' build',
    ' the', ' text', ' so', ' far', ',', ' and', ' marble', ' tests', ' to', ' check', ' the', ' timing', ' in',
    ' virtual', ' time', '.', ' Unsubscribing', ' aborts', ' the', ' HTTP', ' request', ',', ' so', ' nobody',
    ' pays', ' for', ' tokens', ' that', ' no', ' one', ' reads', '.',
  ]),
};
