import { estimateTokens } from '../messages/estimateTokens.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import { positiveCount } from '../errors/optionChecks.js';
import { SectionTracker } from '../markdown/SectionTracker.js';
import type { ProgressOptions } from './StreamProgress.js';
import type { StreamProgress } from './StreamProgress.js';
import type { TextChunk } from './TextChunk.js';

/** `expectedTokens`, checked: a positive integer when given. */
export function checkExpectedTokens(where: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : positiveCount(where, 'expectedTokens', value, value);
}

/** `expectedSections` and `sectionLevel`, checked: what a `ProgressMeter` needs to count sections, or undefined. */
export function checkExpectedSections(where: string, options: ProgressOptions): SectionCount | undefined {
  const level = options.sectionLevel ?? 2;
  if (!Number.isInteger(level) || level < 1 || level > 6) throw new InvalidOptionError(where, 'sectionLevel', 'an integer from 1 to 6', options.sectionLevel);
  if (options.expectedSections === undefined) return undefined;
  return { expected: positiveCount(where, 'expectedSections', options.expectedSections, 1, { infinity: false }), level };
}

/** How many sections an answer should have, and the heading level that starts one. */
export interface SectionCount {
  expected: number;
  level: number;
}

/** Counts one stream: each `record` adds a chunk and returns the progress after it. */
export class ProgressMeter {
  private chunks = 0;
  private chars = 0;
  private reportedTokens: number | undefined;
  /** Estimated tokens of the text received since the last usage report (or since the start). */
  private estimatedTokens = 0;

  /** Reads the answer's Markdown for its sections, with `expectedSections`. */
  private readonly sections: SectionTracker | undefined;

  constructor(private readonly startedAt: number, private readonly expectedTokens: number | undefined, private readonly sectionCount?: SectionCount) {
    this.sections = sectionCount && new SectionTracker(sectionCount.level);
  }

  record(chunk: TextChunk, now: number): StreamProgress {
    this.chunks++;
    const text = typeof chunk === 'string' ? chunk : generatedTextOf(chunk);
    this.chars += text.length;
    if (typeof chunk !== 'string' && chunk.usage) {
      // Usage counts are cumulative and include this chunk: they replace the estimate.
      this.reportedTokens = chunk.usage.outputTokens;
      this.estimatedTokens = 0;
    } else {
      // Per chunk, because a streamed chunk is about one token: summing keeps that granularity.
      this.estimatedTokens += estimateTokens(text);
    }
    if (this.sections) {
      this.sections.push(typeof chunk === 'string' ? chunk : chunk.content);
      if (typeof chunk !== 'string' && chunk.finishReason !== undefined) this.sections.finish();
    }
    const outputTokens = (this.reportedTokens ?? 0) + this.estimatedTokens;
    const elapsedMs = Math.max(0, now - this.startedAt);
    return {
      chunks: this.chunks,
      chars: this.chars,
      outputTokens,
      estimated: this.reportedTokens === undefined || this.estimatedTokens > 0,
      elapsedMs,
      tokensPerSecond: elapsedMs > 0 ? (outputTokens * 1000) / elapsedMs : 0,
      ...(this.expectedTokens !== undefined && { fraction: Math.min(1, outputTokens / this.expectedTokens) }),
      ...(this.sections && this.sectionCount && { sections: this.sections.done, fraction: Math.min(1, this.sections.done / this.sectionCount.expected) }),
    };
  }
}

function generatedTextOf(chunk: Exclude<TextChunk, string>): string {
  if (!chunk.reasoning && chunk.toolCallChunks.length === 0) return chunk.content;
  let text = chunk.content + (chunk.reasoning ?? '');
  for (const call of chunk.toolCallChunks) text += call.args ?? '';
  return text;
}
