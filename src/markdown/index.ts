// The incremental Markdown block scanner under the document operators (`markdownBlocks`,
// `documentStatus`) and `progress({ expectedSections })`. Machinery, not re-exported from `rxllm`:
// the public types reach users through `documents`.
export { MarkdownBlockScanner, type MarkdownBlockScannerOptions, type ScannedBlock } from './MarkdownBlockScanner.js';
export type { MarkdownBlockKind, MarkdownHeading } from './MarkdownBlockKind.js';
export { LineSplitter, lineContent } from './LineSplitter.js';
export { SectionTracker } from './SectionTracker.js';
export { linkLabelsOf, normalizeLabel } from './linkLabels.js';
export { parseReferenceDefinitions, type ReferenceDefinitions } from './referenceDefinitions.js';
