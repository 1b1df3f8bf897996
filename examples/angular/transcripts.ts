// The offline model's answers for the Angular demo, consulted before the built-in transcripts
// of `localOpenAIServer`: a long Markdown answer with reasoning (a few seconds of streaming, long
// enough to press Stop) and a call of `book_table`, a tool that waits for the user's approval.
import type { Transcript, TranscriptChunk } from '../../src/testing/node/index.js';

/** A chunk that may also carry `reasoning_content`, as reasoning models send it. */
type ReasoningChunk = TranscriptChunk & { delta: { reasoning_content?: string } };

/** Splits text into word-sized tokens (each word with the space before it), as a model streams them. */
function tokensOf(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** The reasoning before the guide. */
export const GUIDE_REASONING = 'The user wants an overview of streaming in RxJS. A short intro, a list of the operators, a code sample and a table should do.';

/** The guide's Markdown, as the model streams it. */
export const GUIDE = `# Streaming answers with RxJS

An answer from a language model arrives **token by token**. Treating it as an \`Observable\` gives
you cancellation, composition and testing for free.

## Why Observables fit

- A subscription is a request: unsubscribing *cancels* it.
- Operators such as \`map\`, \`scan\` and \`throttleTime\` shape the stream.
- Marble tests run the whole pipeline in virtual time.

## A first pipeline

\`\`\`ts
model.stream('Hello').pipe(textDeltas()).subscribe((text) => render(text));
\`\`\`

## Operators worth knowing

| operator | does |
|---|---|
| \`accumulate()\` | the message so far |
| \`smoothText()\` | word-by-word output |
| \`streamTimeout()\` | typed timeouts |

> Stop is honest about cost: the partial answer stays, and so does its token count.

1. Send a question.
2. Watch the answer grow.
3. Press **Stop** whenever you like.

That is all there is to it: streams all the way down, with every step visible and every request cancellable.
`;

/** A long Markdown answer about streaming, with a short reasoning first. */
export const streamingGuide: Transcript = {
  name: 'angular-streaming-guide',
  keywords: ['guide', 'markdown', 'explain', 'stream', 'streaming'],
  chunks: [
    { delta: { role: 'assistant', content: '' } },
    ...tokensOf(GUIDE_REASONING).map((token): ReasoningChunk => ({ delta: { reasoning_content: token } })),
    ...tokensOf(GUIDE).map((content): TranscriptChunk => ({ delta: { content } })),
    { delta: {}, finish_reason: 'stop' },
  ],
};

/** A call of `book_table` (which needs the user's approval) with streamed arguments. */
export const bookTableCall: Transcript = {
  name: 'angular-book-table',
  keywords: ['book', 'table', 'reserve', 'reservation'],
  needsTool: 'book_table',
  chunks: [
    { delta: { role: 'assistant', content: '' } },
    { delta: { tool_calls: [{ index: 0, id: 'call_demo_booking_1', type: 'function', function: { name: 'book_table', arguments: '' } }] } },
    ...['{"', 'restaurant', '":"', 'Chez Rx', '","', 'guests', '":', '4', ',"', 'time', '":"', '19:30', '"}'].map((args): TranscriptChunk => ({
      delta: { tool_calls: [{ index: 0, function: { arguments: args } }] },
    })),
    { delta: {}, finish_reason: 'tool_calls' },
  ],
};

/** The answer after `book_table` ran (or was denied): it reads back what the tool said. */
export const bookTableAnswer: Transcript = {
  name: 'angular-book-table-answer',
  keywords: [],
  afterTool: 'book_table',
  chunks: [
    { delta: { role: 'assistant', content: '' } },
    ...tokensOf('The booking tool answered: {{tool_result}}').map((content): TranscriptChunk => ({ delta: { content } })),
    { delta: {}, finish_reason: 'stop' },
  ],
};

export const DEMO_TRANSCRIPTS: readonly Transcript[] = [bookTableAnswer, bookTableCall, streamingGuide];
