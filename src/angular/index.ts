// The public names of rxllm/angular: the only entry point that loads @angular/core.
export { injectChat, type InjectedChat } from './injectChat.js';
