export { ChatOpenAI, type ChatOpenAIFields } from './ChatOpenAI.js';
