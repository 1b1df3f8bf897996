export { ChatPromptTemplate, MessagesPlaceholder, type PromptMessageLike, type PromptRole } from './ChatPromptTemplate.js';
export { ChatPromptValue, isChatPromptValue } from './ChatPromptValue.js';
