import { AIMessageChunk, isAIMessageChunk, type ToolCallChunk } from '../messages/AIMessageChunk.js';
import { argumentsSoFar } from '../messages/argumentsSoFar.js';
import { ChunkAccumulator } from '../messages/ChunkAccumulator.js';
import { estimateTokens } from '../messages/estimateTokens.js';
import { isPlainObject } from '../messages/valueKinds.js';
import type { StreamEvent } from '../events/StreamEvent.js';
import { TOOL_APPROVAL_REQUEST, type ApprovalRequest } from '../tools/ToolApproval.js';
import { toolResultText } from '../tools/toolResultMessage.js';
import type { ChatMessage, ChatToolCall } from './ChatMessage.js';
import type { StoredAnswer } from './ChatHistory.js';
import type { ChatUsageRecord } from './ChatState.js';

/** The part of a chat's state an answer changes. */
export interface AnswerView {
  readonly messages: readonly ChatMessage[];
  readonly pendingApprovals: readonly ApprovalRequest[];
}

/** How an answer ended. */
export type AnswerEnd = 'complete' | 'stopped' | 'error';

/** A tool call's fields a change may set. */
type CallChange = Partial<Pick<ChatToolCall, 'state' | 'progress' | 'result' | 'args'>>;

/**
 * Folds the events of one answer (a run's `streamEvents`, local or over the wire) into chat
 * messages: each model run streams into an assistant message of its own, each tool answer
 * becomes a tool message, and tool calls carry their live arguments, approval, progress and
 * result. Its bookkeeping (`book`) is plain data, so a reloaded page goes on where it stopped.
 * Every change returns new objects for what changed only: the other messages keep their identity.
 * @internal
 */
export class AnswerFold {
  // Running sums per model run; rebuilt from the message when a resumed answer has none.
  private readonly sums = new Map<string, ChunkAccumulator>();

  constructor(readonly book: StoredAnswer, private readonly newId: () => string) {}

  /** The view after `event`, or the same view when the event changes nothing a chat shows. */
  apply(view: AnswerView, event: StreamEvent): AnswerView {
    const data = (event.data ?? {}) as Record<string, unknown>;
    switch (event.event) {
      case 'on_chat_model_stream':
        return this.insideTool(event) || !isAIMessageChunk(data.chunk) ? view : this.modelChunk(view, event.run_id, data.chunk);
      case 'on_chat_model_end':
        return this.insideTool(event) ? view : this.modelEnd(view, event.run_id, data.output);
      case 'on_tool_start':
        return this.insideTool(event) ? view : this.toolStart(view, event);
      case 'on_tool_stream':
        return this.changeRun(view, event.run_id, { progress: data.chunk });
      case 'on_tool_end':
        return this.toolEnd(view, event.run_id, data.output);
      case 'on_tool_error':
        return this.changeRun(view, event.run_id, { state: 'error' });
      case 'on_custom_event':
        return event.name === TOOL_APPROVAL_REQUEST ? this.approvalRequest(view, data as unknown as ApprovalRequest) : this.customProgress(view, event);
      case 'on_chain_stream':
        return event.parent_ids.length === 0 && isToolMessageLike(data.chunk) ? this.toolAnswer(view, data.chunk) : view;
      default:
        return view;
    }
  }

  /**
   * The view once the answer is over, and its usage record. A stopped answer's last assistant
   * message is marked `stopped` (one is added when nothing had come yet: the request was made),
   * its unfinished calls fail and its approvals are dropped.
   */
  finish(view: AnswerView, end: AnswerEnd): { view: AnswerView; usage?: ChatUsageRecord } {
    let messages = view.messages.slice();
    for (let index = this.book.start; index < messages.length; index++) {
      const message = messages[index];
      if (!message.toolCalls?.some((call) => unfinished(call, end))) continue;
      messages[index] = { ...message, toolCalls: message.toolCalls.map((call) => (unfinished(call, end) ? finishedCall(call, end) : call)) };
    }
    let pendingApprovals = view.pendingApprovals;
    if (end === 'stopped') {
      pendingApprovals = [];
      const last = this.lastAssistant(messages);
      if (last < 0) messages.push({ id: this.newId(), role: 'assistant', text: '', stopped: true });
      else messages[last] = { ...messages[last], stopped: true };
    }
    if (messages.every((message, index) => message === view.messages[index]) && messages.length === view.messages.length) messages = view.messages as ChatMessage[];
    const next = { messages, pendingApprovals };
    const last = this.lastAssistant(messages);
    const turns = Object.entries(this.book.turns);
    if (last < 0 || (turns.length === 0 && end !== 'stopped')) return { view: next };
    let inputTokens = 0;
    let outputTokens = 0;
    let estimated = false;
    for (const [runId, turn] of turns) {
      if (turn.usage) {
        inputTokens += turn.usage.inputTokens;
        outputTokens += turn.usage.outputTokens;
        continue;
      }
      estimated = true;
      inputTokens += turn.inputEstimate;
      const message = messages.find((m) => m.id === this.book.modelRuns[runId]);
      outputTokens += message ? outputEstimate(message) : 0;
    }
    if (turns.length === 0) {
      // Stopped before the first token: the request was sent, so its input counts.
      estimated = true;
      inputTokens = this.book.requestTokens;
    }
    const usage: ChatUsageRecord = {
      messageId: messages[last].id, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, stopped: end === 'stopped', estimated,
    };
    return { view: next, usage };
  }

  /** A model or tool run nested in a tool (a tool that calls a model) is the tool's business, not the chat's. */
  private insideTool(event: StreamEvent): boolean {
    return event.parent_ids.some((id) => id in this.book.toolRuns);
  }

  private modelChunk(view: AnswerView, runId: string, chunk: AIMessageChunk): AnswerView {
    let messages = view.messages;
    let messageId = this.book.modelRuns[runId];
    if (messageId === undefined) {
      messageId = this.newId();
      this.book.modelRuns[runId] = messageId;
      this.book.turns[runId] = { inputEstimate: this.book.requestTokens + this.answerTokens(messages) };
      messages = [...messages, { id: messageId, role: 'assistant', text: '' }];
    }
    const index = lastIndexOf(messages, messageId);
    if (index < 0) return view;
    const sum = this.sums.get(runId) ?? rebuiltSum(messages[index]);
    this.sums.set(runId, sum.add(chunk));
    const fields = sum.fields();
    if (fields.usage) this.book.turns[runId] = { ...this.book.turns[runId], usage: fields.usage };
    const previous = messages[index];
    const toolCalls = (fields.toolCallChunks ?? []).map((part) => streamingCall(part, previous.toolCalls));
    const message: ChatMessage = {
      ...previous,
      text: fields.content ?? '',
      ...(fields.reasoning !== undefined && { reasoning: fields.reasoning }),
      ...(toolCalls.length > 0 && { toolCalls }),
    };
    if (message.text === previous.text && message.reasoning === previous.reasoning && sameCalls(message.toolCalls, previous.toolCalls)) {
      return messages === view.messages ? view : { ...view, messages };
    }
    return { ...view, messages: replaceAt(messages, index, message) };
  }

  private modelEnd(view: AnswerView, runId: string, output: unknown): AnswerView {
    let next = view;
    // A model that streamed nothing still ended with its message.
    if (this.book.modelRuns[runId] === undefined && isAIMessageChunk(output)) next = this.modelChunk(view, runId, output);
    const messageId = this.book.modelRuns[runId];
    if (messageId === undefined) return next;
    const usage = isAIMessageChunk(output) ? output.usage : undefined;
    if (usage) this.book.turns[runId] = { ...this.book.turns[runId], usage };
    this.sums.delete(runId);
    const index = lastIndexOf(next.messages, messageId);
    const message = next.messages[index];
    if (!message?.toolCalls?.some((call) => call.state === 'streaming-args')) return next;
    const toolCalls = message.toolCalls.map((call) => (call.state === 'streaming-args' ? wholeCall(call) : call));
    return { ...next, messages: replaceAt(next.messages, index, { ...message, toolCalls }) };
  }

  private toolStart(view: AnswerView, event: StreamEvent): AnswerView {
    const taken = new Set(Object.values(this.book.toolRuns));
    const candidates: ChatToolCall[] = [];
    for (const message of view.messages) {
      for (const call of message.toolCalls ?? []) if (call.name === event.name && call.state === 'running' && !taken.has(call.id)) candidates.push(call);
    }
    // Two calls of one tool run side by side: the arguments tell them apart.
    const input = JSON.stringify((event.data as { input?: unknown }).input);
    const call = candidates.find((c) => JSON.stringify(c.args) === input) ?? candidates[0];
    if (!call) return view;
    this.book.toolRuns[event.run_id] = call.id;
    return view;
  }

  private changeRun(view: AnswerView, runId: string, change: CallChange): AnswerView {
    const callId = this.book.toolRuns[runId];
    return callId === undefined ? view : changeCall(view, callId, change);
  }

  private toolEnd(view: AnswerView, runId: string, output: unknown): AnswerView {
    const callId = this.book.toolRuns[runId];
    const call = callId === undefined ? undefined : findCall(view.messages, callId);
    if (!call) return view;
    const next = changeCall(view, callId, { result: output });
    // A tool that does not stream streams its result once: that value was no progress.
    if (call.progress === undefined || JSON.stringify(call.progress) !== JSON.stringify(output)) return next;
    return changeCall(next, callId, { progress: undefined });
  }

  private customProgress(view: AnswerView, event: StreamEvent): AnswerView {
    const runId = [...event.parent_ids].reverse().find((id) => id in this.book.toolRuns) ?? (event.run_id in this.book.toolRuns ? event.run_id : undefined);
    return runId === undefined ? view : changeCall(view, this.book.toolRuns[runId], { progress: event.data });
  }

  private approvalRequest(view: AnswerView, request: ApprovalRequest): AnswerView {
    if (typeof request?.approvalId !== 'string') return view;
    // A request sent again with its decision (a conversation continued over a transport): the
    // tool asks before it reads the decision, which is already taken.
    if (this.book.approvals.some((decision) => decision.approvalId === request.approvalId)) return view;
    const pendingApprovals = view.pendingApprovals.some((r) => r.approvalId === request.approvalId) ? view.pendingApprovals : [...view.pendingApprovals, request];
    return changeCall({ ...view, pendingApprovals }, request.approvalId, { state: 'pending-approval' });
  }

  private toolAnswer(view: AnswerView, answer: ToolMessageLike): AnswerView {
    const message: ChatMessage = { id: this.newId(), role: 'tool', text: answer.content, toolCallId: answer.toolCallId };
    const withAnswer = { ...view, messages: [...view.messages, message] };
    const call = findCall(view.messages, answer.toolCallId);
    if (!call) return withAnswer;
    const failed = answer.status === 'error';
    return changeCall(withAnswer, answer.toolCallId, {
      state: call.state === 'denied' ? 'denied' : failed ? 'error' : 'done',
      result: failed || call.result === undefined ? (answer.artifact !== undefined && !failed ? answer.artifact : answer.content) : call.result,
    });
  }

  private answerTokens(messages: readonly ChatMessage[]): number {
    return messages.slice(this.book.start).reduce((sum, message) => sum + outputEstimate(message), 0);
  }

  private lastAssistant(messages: readonly ChatMessage[]): number {
    for (let index = messages.length - 1; index >= this.book.start; index--) if (messages[index].role === 'assistant') return index;
    return -1;
  }
}

/** The tool answer a runnable streams (a `ToolMessage`, or its JSON copy). */
interface ToolMessageLike {
  type: 'tool';
  content: string;
  toolCallId: string;
  status?: 'success' | 'error';
  artifact?: unknown;
}

function isToolMessageLike(value: unknown): value is ToolMessageLike {
  return isPlainObjectOrInstance(value) && (value as ToolMessageLike).type === 'tool'
    && typeof (value as ToolMessageLike).toolCallId === 'string' && typeof (value as ToolMessageLike).content === 'string';
}

function isPlainObjectOrInstance(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The estimated tokens a model wrote for `message`: its text, reasoning and each call's name and arguments. */
function outputEstimate(message: ChatMessage): number {
  let text = message.text + (message.reasoning ?? '');
  for (const call of message.toolCalls ?? []) text += call.name + call.argsText;
  return estimateTokens(text);
}

/** A sum that goes on from a message received before a reload. */
function rebuiltSum(message: ChatMessage): ChunkAccumulator {
  const sum = new ChunkAccumulator();
  if (!message.text && message.reasoning === undefined && !message.toolCalls?.length) return sum;
  const toolCallChunks: ToolCallChunk[] = (message.toolCalls ?? []).map((call, index) => ({ index, id: call.id, name: call.name, args: call.argsText }));
  return sum.add(new AIMessageChunk({ content: message.text, ...(message.reasoning !== undefined && { reasoning: message.reasoning }), toolCallChunks }));
}

/** A call as its chunks stand, keeping what the fold already knew of it. */
function streamingCall(part: ToolCallChunk, known: readonly ChatToolCall[] | undefined): ChatToolCall {
  const id = part.id || `call_${part.index}`;
  const argsText = part.args ?? '';
  const previous = known?.find((call) => call.id === id);
  if (previous && previous.argsText === argsText && previous.name === (part.name ?? '')) return previous;
  // `argumentsSoFar` leaves a complete object to its reader.
  const args = argumentsSoFar(argsText) ?? wholeArguments(argsText);
  return { ...previous, id, name: part.name ?? '', argsText, ...(args !== undefined && { args }), state: previous?.state ?? 'streaming-args' };
}

/** The arguments of a complete JSON object text, else undefined. */
function wholeArguments(text: string): Record<string, unknown> | undefined {
  try {
    const args: unknown = JSON.parse(text);
    return isPlainObject(args) ? args : undefined;
  } catch {
    return undefined;
  }
}

/** A call whose arguments are complete: `'running'` with them, or `'error'` when they are not a JSON object. */
function wholeCall(call: ChatToolCall): ChatToolCall {
  try {
    const args: unknown = call.argsText.trim() === '' ? {} : JSON.parse(call.argsText);
    if (isPlainObject(args)) return { ...call, args, state: 'running' };
  } catch {
    // An argument text that is not JSON: the call fails below.
  }
  return { ...call, state: 'error', result: 'The arguments are not a JSON object' };
}

function unfinished(call: ChatToolCall, end: AnswerEnd): boolean {
  if (call.state === 'streaming-args') return true;
  return end !== 'complete' && (call.state === 'running' || call.state === 'pending-approval') && call.result === undefined;
}

function finishedCall(call: ChatToolCall, end: AnswerEnd): ChatToolCall {
  if (end === 'complete') return wholeCall(call);
  return { ...call, state: 'error', result: end === 'stopped' ? 'Stopped before the call ran' : 'The answer failed before the call ran' };
}

function sameCalls(a: readonly ChatToolCall[] | undefined, b: readonly ChatToolCall[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((call, index) => call === b[index]);
}

function lastIndexOf(messages: readonly ChatMessage[], id: string): number {
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index].id === id) return index;
  return -1;
}

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function findCall(messages: readonly ChatMessage[], callId: string): ChatToolCall | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const call = messages[index].toolCalls?.find((c) => c.id === callId);
    if (call) return call;
  }
  return undefined;
}

/** The view with the call `callId` changed (the last message that has it), or the same view when nothing changes. */
export function changeCall<V extends AnswerView>(view: V, callId: string, change: CallChange): V {
  for (let index = view.messages.length - 1; index >= 0; index--) {
    const message = view.messages[index];
    const at = message.toolCalls?.findIndex((c) => c.id === callId) ?? -1;
    if (at < 0) continue;
    const call = message.toolCalls![at];
    if ((Object.keys(change) as Array<keyof CallChange>).every((key) => call[key] === change[key])) return view;
    const changed: { -readonly [K in keyof ChatToolCall]: ChatToolCall[K] } = { ...call, ...change };
    for (const key of Object.keys(change) as Array<keyof CallChange>) if (change[key] === undefined) delete changed[key];
    const toolCalls = replaceAt(message.toolCalls!, at, changed);
    return { ...view, messages: replaceAt(view.messages, index, { ...message, toolCalls }) };
  }
  return view;
}

/** The text a tool message shows for a result given by the client. */
export function resultText(result: unknown): string {
  return toolResultText(result);
}
