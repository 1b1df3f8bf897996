/** A JSON value, as error fields travel. */
export type WireValue = string | number | boolean | null | readonly WireValue[] | { readonly [key: string]: WireValue };

/**
 * An error as it crosses the wire: its class name, its masked message and its own data fields
 * (`status`, `code`, `kind`, `retryAfterMs`, …). The client rebuilds the same class from it.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** The error's own fields, strings masked; absent when it has none. */
  readonly fields?: { readonly [key: string]: WireValue };
}
