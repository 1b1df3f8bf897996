export { ChatPromptTemplate, MessagesPlaceholder, type PromptMessageLike, type PromptRole } from './ChatPromptTemplate.js';
