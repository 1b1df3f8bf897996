// The commonmark-spec package ships no types: its two exports, as its index.js builds them.
declare module 'commonmark-spec' {
  /** One example of the spec: its Markdown and the HTML the spec expects. */
  export interface CommonMarkExample {
    markdown: string;
    html: string;
    section: string;
    number: number;
  }
  /** Every example, in the spec's order. */
  export const tests: CommonMarkExample[];
  /** The spec itself, a Markdown document. */
  export const text: string;
}
