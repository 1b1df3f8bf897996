import type { AIMessageChunk } from '../messages/AIMessageChunk.js';

/** What the text operators accept: plain text deltas, or chat-model chunks. */
export type TextChunk = string | AIMessageChunk;
