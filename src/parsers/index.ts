export { StringOutputParser } from './StringOutputParser.js';
export { JsonOutputParser, type JsonOutputParserOptions } from './JsonOutputParser.js';
