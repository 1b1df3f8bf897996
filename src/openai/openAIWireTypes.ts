/**
 * The chat.completions wire format as OpenAI-compatible servers really send it: every field
 * optional and nullable, because each server omits or adds some (Mistral sends tool calls without
 * `index`, Azure a first chunk without choices, Magistral content as an array of parts).
 */

/** A part of an array-valued `content` (Mistral/Magistral): text, or thinking made of text parts. */
export interface WireContentPart {
  type?: string;
  text?: string;
  thinking?: string | WireContentPart[];
}

/** A tool call, whole (in a completion) or a fragment (in a chunk's delta). */
export interface WireToolCall {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | Record<string, unknown> | null } | null;
}

/** `delta` of a streamed choice, or `message` of a completion. */
export interface WireMessage {
  role?: string | null;
  content?: string | WireContentPart[] | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: WireToolCall[] | null;
  annotations?: unknown;
  [extra: string]: unknown;
}

/** One choice of a chunk (with `delta`) or of a completion (with `message`). */
export interface WireChoice {
  index?: number;
  delta?: WireMessage | null;
  message?: WireMessage | null;
  finish_reason?: string | null;
  logprobs?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

/** Token counts as servers report them (OpenAI names, plus DeepSeek's and Together's cache fields). */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  prompt_cache_hit_tokens?: number | null;
  cached_tokens?: number | null;
  [extra: string]: unknown;
}

/** An error object, as sent in an error body, an `event: error` frame or a chunk's `error` field. */
export interface WireError {
  message?: unknown;
  code?: string | number | null;
  type?: string | null;
  status_code?: number;
  [extra: string]: unknown;
}

/** A `chat.completion.chunk`, or a whole `chat.completion` (same envelope, `message` for `delta`). */
export interface WireCompletion {
  id?: string;
  choices?: WireChoice[] | null;
  usage?: WireUsage | null;
  error?: WireError | null;
  [extra: string]: unknown;
}
