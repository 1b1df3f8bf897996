import type { Observable } from 'rxjs';

/** What `contentFilter` does with refused text. */
export type ContentFilterAction = 'stop' | 'replace' | 'flag';

/** A classifier's judgement of one window of text. */
export interface ContentVerdict {
  /** Whether the text breaks the policy. */
  flagged: boolean;
  /** What it breaks (`'violence'`, `'self-harm'`, …): carried into the flag and the error. */
  category?: string;
}

/** One refused piece of text, as `action: 'flag'` reports it and `replacement` receives it. */
export interface ContentFlag {
  /** What refused it: the blocklist or the classifier. */
  source: 'block' | 'classify';
  /** The blocklist entry that matched, as it was given. */
  phrase?: string;
  /** The classifier's category. */
  category?: string;
  /** The refused text: the phrase as it was written, or the classifier's whole window. */
  text: string;
}

/**
 * Options of `contentFilter`. At least one of `block` and `classify` is needed.
 */
export interface ContentFilterOptions {
  /**
   * Words and phrases to refuse, matched case-insensitively as whole words (`ban` does not match
   * `banner`) across chunk boundaries. A space in a phrase stands for one whitespace character.
   */
  block?: readonly string[];
  /**
   * Judges a window of text. Called once per window, as soon as the window is complete; the
   * window's text is held until the first verdict arrives. Windows are released in order.
   */
  classify?: (text: string) => Observable<ContentVerdict>;
  /**
   * `'stop'`: the text before the refused text is delivered, then the stream fails with
   * `ContentFilteredError`. `'replace'`: the refused text becomes `replacement`. `'flag'`: the
   * text passes unchanged and each refusal is reported (to `onFlag`, and on event streams as an
   * `on_custom_event` named `content_flagged`).
   */
  action: ContentFilterAction;
  /** What refused text becomes with `action: 'replace'`. Default `'[FILTERED]'`. */
  replacement?: string | ((flag: ContentFlag) => string);
  /**
   * The longest window the classifier judges, in characters (default 200; `Infinity` judges each
   * text whole). A window ends at a sentence end or else a space in its second half, so that a
   * word is not cut in two. Tool-call arguments are judged whole, one window per call.
   */
  windowChars?: number;
  /** Receives each refusal with `action: 'flag'`, after the value carrying the text is emitted. */
  onFlag?: (flag: ContentFlag) => void;
}
