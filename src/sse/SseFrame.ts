/**
 * One Server-Sent Events frame as it goes on the wire. Data frames carry the id `<runId>:<seq>`
 * that a reconnecting client sends back as `Last-Event-ID`; heartbeats and the `retry:` frame
 * carry none and are never replayed.
 */
export interface SseFrame {
  /** `<runId>:<seq>` for a data frame; absent for a heartbeat comment or the `retry:` frame. */
  readonly id?: string;
  /** The frame's text, ending with the blank line that dispatches it. */
  readonly text: string;
}

/** One event of a wire format before it is framed: an optional event name and its data text. */
export interface SseMessage {
  /** The `event:` field; absent means the default `message` event. */
  readonly event?: string;
  /** The `data:` text (JSON for every format); `undefined` sends a frame without data lines. */
  readonly data?: string;
}
