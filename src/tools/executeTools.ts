import { EMPTY, Observable, catchError, concat, defer, from, identity, last, map, mergeMap, of, throwError, timeout } from 'rxjs';
import { durationMs, positiveCount } from '../errors/optionChecks.js';
import { isAIMessageChunk, type AIMessageChunk, type InvalidToolCall, type ToolCall } from '../messages/AIMessageChunk.js';
import { StreamTimeoutError } from '../errors/errors.js';
import { ToolMessage, type AIMessage } from '../messages/messages.js';
import type { RunContext, RunScope } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import type { StructuredTool } from './StructuredTool.js';
import { toolResultMessage } from './toolResultMessage.js';
import { callLimitText, deniedText, invalidArgumentsText, notAllowedText, toolErrorText, unknownToolText } from './toolErrorText.js';
import { isPromiseLike } from '../messages/valueKinds.js';
import { rateLimit } from '../operators/rateLimit.js';
import { TOOL_APPROVAL_REQUEST, type ApprovalDecision, type ApprovalRequest } from './ToolApproval.js';
import { ToolCallGate } from './ToolCallGate.js';

/** Options of `executeTools`. */
export interface ExecuteToolsOptions {
  /** How many tool calls run at once (default: all). */
  concurrency?: number;
  /**
   * How long one tool call may take, from its start to its result: a number for every tool, or
   * `{ default, perTool: { name: ms } }`. A call over its limit is cancelled (its `signal` aborts)
   * and answered with an error `ToolMessage`. Default: no limit.
   */
  timeoutMs?: ToolTimeouts;
  /** The only tools that may run; a call of another is answered with an error `ToolMessage`. Default: all given. */
  allowedTools?: readonly string[];
  /**
   * The decisions on calls of tools with `needsApproval`, matched by `approvalId` (decisions that
   * came before their request count). Without it, or once it completes, such a call gets no
   * answer: its request stays pending.
   */
  approvals?: Observable<ApprovalDecision>;
}

/** Tool-call time limits: one for every tool, or a default with limits per tool name. */
export type ToolTimeouts = number | { default?: number; perTool?: Readonly<Record<string, number>> };

/**
 * Runs the tool calls of an assistant message and emits one `ToolMessage` per call as it
 * completes (so the fastest tool answers first). A failure never breaks the stream: an unknown
 * tool, arguments that are not JSON or fail the schema, or a tool that throws become a
 * `ToolMessage` with `status: 'error'` and a text the model can act on. Each tool runs as a child
 * run (`on_tool_*` events); cancelling the run cancels the running tools.
 */
export class ToolExecutor extends Runnable<AIMessage | AIMessageChunk, ToolMessage> {
  readonly runType = 'chain' as const;
  private readonly tools: ReadonlyMap<string, StructuredTool<any, any>>;
  private readonly concurrency: number;
  private readonly timeouts: { default: number; perTool: Readonly<Record<string, number>> };

  private readonly options: ExecuteToolsOptions;

  /** `gate`: the access state shared by the runs of one agent run (@internal); else one per run. */
  constructor(tools: ReadonlyArray<StructuredTool<any, any>>, options: ExecuteToolsOptions = {}, private readonly gate?: ToolCallGate) {
    super();
    // Checked here: 0 or NaN would leave every call waiting for a slot.
    this.concurrency = positiveCount('executeTools', 'concurrency', options.concurrency, Infinity);
    this.tools = new Map(tools.map((t) => [t.name, t]));
    this.timeouts = checkTimeouts(options.timeoutMs);
    this.options = options;
    this.runName = 'ToolExecutor';
  }

  protected override _stream(message: AIMessage | AIMessageChunk, run: RunContext): Observable<ToolMessage> {
    const scope = run.childScope();
    // The message is over when its tools run: judge its calls as a finished message's.
    const finished = isAIMessageChunk(message) ? message.toMessage() : message;
    const calls: Array<ToolCall | InvalidToolCall> = [...finished.toolCalls, ...finished.invalidToolCalls];
    const runCalls = (gate: ToolCallGate) => from(calls).pipe(mergeMap((call, index) => this.runCall(call, index, scope, run, gate), this.concurrency));
    if (this.gate) return runCalls(this.gate);
    return new Observable<ToolMessage>((subscriber) => {
      const gate = new ToolCallGate(this.options);
      gate.open();
      const subscription = runCalls(gate).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        gate.close();
      };
    });
  }

  private runCall(call: ToolCall | InvalidToolCall, index: number, scope: RunScope, run: RunContext, gate: ToolCallGate): Observable<ToolMessage> {
    const name = call.name ?? '';
    const toolCallId = call.id ?? `call_${index}`;
    const failed = (content: string) => new ToolMessage({ content, toolCallId, name, status: 'error' });
    if (!gate.isAllowed(name)) return of(failed(notAllowedText(name)));
    const selected = this.tools.get(name);
    if (!selected) return of(failed(unknownToolText(name, [...this.tools.keys()])));
    if ('error' in call) return of(failed(invalidArgumentsText(name, call.error)));
    const limitMs = this.timeouts.perTool[name] ?? selected.timeoutMs ?? this.timeouts.default;
    const execute$ = defer(() => {
      if (!gate.admit(name, selected.maxCalls)) return of(failed(callLimitText(name, selected.maxCalls)));
      const result$ = selected._call(of(call.args), scope, { knownInput: { value: call.args } }).pipe(
        last(undefined, undefined),
        // After `last`, so the limit covers the whole call; the unsubscribe aborts the tool's signal.
        limitMs === Infinity ? identity : timeout({ first: limitMs, with: () => throwError(() => new StreamTimeoutError('total', limitMs)) }),
      );
      // The wait for the limiter comes before the call's run and its time limit start.
      return (selected.rateLimiter ? result$.pipe(rateLimit(selected.rateLimiter)) : result$).pipe(
        map((result) => toolResultMessage(result, { id: toolCallId, name })),
        catchError((error: unknown) => of(failed(toolErrorText(name, error)))),
      );
    });
    const needsApproval = selected.needsApproval;
    if (!needsApproval) return execute$;
    const request: ApprovalRequest = { approvalId: toolCallId, toolCall: { id: toolCallId, name, args: call.args as Record<string, unknown> } };
    const needed$ = defer(() => {
      const needed = typeof needsApproval === 'function' ? needsApproval(request.toolCall) : needsApproval;
      return isPromiseLike(needed) ? from(needed) : of(needed);
    });
    return needed$.pipe(
      catchError((error: unknown) => of(failed(toolErrorText(name, error)))),
      mergeMap((needed) => {
        if (needed instanceof ToolMessage) return of(needed);
        if (!needed) return execute$;
        // The request goes out first: a decision given synchronously by its handler is kept by the gate.
        const ask$ = defer(() => {
          run.emitCustom(TOOL_APPROVAL_REQUEST, request);
          return EMPTY;
        });
        return concat(ask$, gate.decision(request.approvalId)).pipe(mergeMap((decision) => {
          if (!decision) {
            gate.pending.push(request);
            return EMPTY;
          }
          return decision.approved ? execute$ : of(failed(deniedText(name, decision.reason)));
        }));
      }),
    );
  }
}

function checkTimeouts(timeouts: ToolTimeouts | undefined): { default: number; perTool: Readonly<Record<string, number>> } {
  const check = (option: string, value: number | undefined) => durationMs('executeTools', option, value, Infinity, { zero: false, infinity: true });
  if (typeof timeouts !== 'object') return { default: check('timeoutMs', timeouts), perTool: {} };
  const perTool = Object.fromEntries(Object.entries(timeouts.perTool ?? {}).map(([name, ms]) => [name, check(`timeoutMs.perTool.${name}`, ms)]));
  return { default: check('timeoutMs.default', timeouts.default), perTool };
}

/**
 * A runnable that executes the tool calls of a message with the given tools.
 *
 * @example
 * ```ts
 * import { executeTools } from 'rxllm';
 * const answer = await model.bindTools([weather]).invoke('Weather in Paris?');
 * executeTools([weather]).stream(answer).subscribe((toolMessage) => console.log(toolMessage.content));
 * ```
 */
export function executeTools(tools: ReadonlyArray<StructuredTool<any, any>>, options: ExecuteToolsOptions = {}): ToolExecutor {
  return new ToolExecutor(tools, options);
}
