export { markdownBlocks } from './markdownBlocks.js';
export type { MarkdownBlock, MarkdownBlockKind, MarkdownBlocksOptions, MarkdownBlocksUpdate, MarkdownHeading, MarkdownRender } from './MarkdownBlock.js';
export { documentStatus, type DocumentStatus, type DocumentStatusOptions } from './documentStatus.js';
