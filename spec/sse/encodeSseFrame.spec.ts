import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { encodeSseFrame } from '../../src/sse/encodeSseFrame.js';

function parse(text: string): { events: EventSourceMessage[]; comments: string[]; retries: number[] } {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) }).feed(text);
  return { events, comments, retries };
}

describe('encodeSseFrame', () => {
  it('writes the fields in order and ends with a blank line', () => {
    expect(encodeSseFrame({ id: 'r:1', event: 'end', data: '{}' })).toBe('id: r:1\nevent: end\ndata: {}\n\n');
    expect(encodeSseFrame({ retry: 3000 })).toBe('retry: 3000\n\n');
    expect(encodeSseFrame({ comment: 'keep-alive' })).toBe(': keep-alive\n\n');
  });

  it('splits data with line breaks into data lines that a reader joins back', () => {
    const text = encodeSseFrame({ id: 'r:2', data: 'one\ntwo\r\nthree' });
    expect(text).toBe('id: r:2\ndata: one\ndata: two\ndata: three\n\n');
    expect(parse(text).events).toEqual([{ id: 'r:2', data: 'one\ntwo\nthree' }]);
  });

  it('keeps ids and event names on their line', () => {
    expect(parse(encodeSseFrame({ id: 'a\nb', event: 'x\ny', data: '1' })).events).toEqual([{ id: 'a b', event: 'x y', data: '1' }]);
  });

  it('writes an empty data line, which readers still dispatch', () => {
    expect(parse(encodeSseFrame({ event: 'end', data: '' })).events).toEqual([{ event: 'end', data: '' }]);
  });

  it('makes frames a reader sees as retry advice and comments', () => {
    const { comments, retries, events } = parse(encodeSseFrame({ retry: 1500 }) + encodeSseFrame({ comment: 'keep-alive' }));
    expect([comments, retries, events]).toEqual([['keep-alive'], [1500], []]);
  });
});
