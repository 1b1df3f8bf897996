import { Component, computed } from '@angular/core';
import { localStorageHistory, type ChatMessage, type ChatUsageRecord } from 'rxllm';
import { injectChat } from 'rxllm/angular';
import { sseTransport } from 'rxllm/sse';
import { ProgressiveMarkdown } from './ProgressiveMarkdown';

/**
 * The chat page: the session as signals (`injectChat`), kept in `localStorage` so a reload
 * restores the conversation and re-attaches to a running answer.
 */
@Component({
  selector: 'chat-app',
  imports: [ProgressiveMarkdown],
  template: `
    <header>
      <h1>rxllm chat</h1>
      <span class="status" data-testid="status" [attr.data-status]="chat.status()">
        {{ chat.status() }}{{ chat.reconnecting() ? ' (reconnecting…)' : '' }}
      </span>
    </header>

    @for (message of chat.messages(); track message.id) {
      @if (message.role !== 'tool') {
        <div class="message" [attr.data-role]="message.role" [attr.data-id]="message.id">
          @if (message.reasoning) {
            <div class="reasoning" data-testid="reasoning">{{ message.reasoning }}</div>
          }
          @if (message.role === 'assistant') {
            <progressive-markdown [text]="message.text" />
          } @else {
            <div class="text">{{ message.text }}</div>
          }
          @for (call of message.toolCalls ?? []; track call.id) {
            <div class="tool-call" data-testid="tool-call" [attr.data-state]="call.state">
              {{ call.name }}({{ call.argsText }}) · {{ call.state }}
              @if (call.result !== undefined) { → {{ resultText(call.result) }} }
            </div>
          }
          @if (usageOf(message.id); as usage) {
            <div class="usage" data-testid="usage" [attr.data-stopped]="usage.stopped">
              @if (usage.stopped) { <span class="stopped">stopped</span> · }
              {{ usage.inputTokens }} in, {{ usage.outputTokens }} out{{ usage.estimated ? ' (estimated)' : '' }}
            </div>
          }
        </div>
      }
    }

    @for (request of chat.pendingApprovals(); track request.approvalId) {
      <div class="approval" data-testid="approval">
        Run <code>{{ request.toolCall.name }}</code> with <code>{{ argsText(request.toolCall.args) }}</code>?
        <button type="button" (click)="chat.approve(request.approvalId)">Approve</button>
        <button type="button" (click)="chat.deny(request.approvalId, 'The user declined.')">Deny</button>
      </div>
    }

    @if (chat.error(); as error) {
      <div class="error" role="alert" data-testid="error">
        {{ error.message }}
        @if (error.retryable) { <button type="button" (click)="chat.retry()">Retry</button> }
      </div>
    }

    <form (submit)="send($event, prompt)">
      <input #prompt name="prompt" autocomplete="off" placeholder="Ask something" aria-label="Message" />
      <button type="submit" [disabled]="chat.isStreaming()">Send</button>
      <button type="button" (click)="chat.stop()" [disabled]="!chat.isStreaming()">Stop</button>
    </form>
  `,
})
export class ChatPage {
  readonly chat = injectChat({ transport: sseTransport('/api/chat'), history: localStorageHistory('rxllm-angular-demo') });

  /** The usage record of each answer, by its last message. */
  private readonly usageById = computed(() => new Map(this.chat.usage().map((record): [string, ChatUsageRecord] => [record.messageId, record])));

  constructor() {
    // After a reload: re-attach to the answer that was running (does nothing otherwise).
    this.chat.resume();
  }

  send(event: Event, input: HTMLInputElement): void {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '' || this.chat.isStreaming()) return;
    this.chat.send(text);
    input.value = '';
  }

  usageOf(id: ChatMessage['id']): ChatUsageRecord | undefined {
    return this.usageById().get(id);
  }

  argsText(args: unknown): string {
    return JSON.stringify(args);
  }

  resultText(result: unknown): string {
    return typeof result === 'string' ? result : JSON.stringify(result);
  }
}
