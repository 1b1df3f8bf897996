import { EMPTY, Observable, concat, defer, of, tap } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';
import { concatChunks, isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { AIMessage, ToolMessage, type BaseMessage } from '../messages/messages.js';
import type { EventFilter, StreamEvent } from '../events/StreamEvent.js';
import type { RunnableConfig } from '../runnables/RunnableConfig.js';
import { StreamObservable } from '../runnables/StreamObservable.js';
import type { ApprovalDecision, ApprovalRequest } from '../tools/ToolApproval.js';
import { ToolCallGate } from '../tools/ToolCallGate.js';
import type { BaseChatModel, BindToolsOptions } from '../models/BaseChatModel.js';
import { toMessages, type ChatModelInput } from '../messages/toMessages.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import { ToolExecutor, type ToolTimeouts } from '../tools/executeTools.js';
import type { StructuredTool } from '../tools/StructuredTool.js';
import type { AgentStep, PrepareStepContext, StepSettings } from './AgentStep.js';
import { shouldStop, type StopCondition } from './stopConditions.js';

/** Options of `agent`. */
export interface AgentOptions {
  model: BaseChatModel;
  tools: ReadonlyArray<StructuredTool<any, any>>;
  /** The most model turns the loop makes (default 10). */
  maxSteps?: number;
  /** How many tool calls of one turn run at once (default: all). */
  toolConcurrency?: number;
  /**
   * How long a tool call may take: a number for every tool, or `{ default, perTool: { name: ms } }`.
   * A slow call is cancelled (its `signal` aborts) and answered with an error `ToolMessage` the
   * model reads in the next turn. Default: no limit.
   */
  toolTimeoutMs?: ToolTimeouts;
  /**
   * Ends the loop early: checked after each turn whose tool calls have run; one condition
   * (`stepCountIs(n)`, `hasToolCall(name)`, any `({ steps }) => boolean`) or an array, any of
   * which stops. `maxSteps` still applies.
   */
  stopWhen?: StopCondition | readonly StopCondition[];
  /** Called before each model turn: the model, tools, messages or call options of that turn. */
  prepareStep?: (context: PrepareStepContext) => StepSettings | undefined | void;
  /** Passed to `bindTools`. */
  toolChoice?: BindToolsOptions['toolChoice'];
  parallelToolCalls?: boolean;
  /**
   * The decisions on calls of tools with `needsApproval` (matched by `approvalId`, the call's id;
   * decisions that came first count). `config.approvals` replaces it for one run. Without a
   * source, or once it has completed, a call left without a decision ends the run after its turn,
   * with the request in `pendingApprovals`.
   */
  approvals?: Observable<ApprovalDecision>;
  /** The only tools bound and run (`config.allowedTools` replaces it for one run). Default: all. */
  allowedTools?: readonly string[];
}

/** What a run found out that its chunks do not tell: the requests left without a decision. */
interface RunRecord {
  pending: ApprovalRequest[];
  /** The message whose unanswered calls the run answered first (a resumed run). */
  resumed?: AIMessage;
}

/** What an agent streams: the chunks of every model turn, and each tool's answer as it completes. */
export type AgentChunk = AIMessageChunk | ToolMessage;

/** The result of `agent(...).invoke(...)`. */
export interface AgentResult {
  /** The last model message: the final answer, or the last turn when `maxSteps` stopped the loop. */
  output: AIMessage;
  /** Every message the run added to the conversation, in order: model turns and tool answers (not the input). */
  messages: BaseMessage[];
  /** How many model turns ran. */
  steps: number;
  /** True when the loop stopped at `maxSteps` with tool calls still unanswered. */
  stoppedAtMaxSteps: boolean;
  /** True when `stopWhen` ended the loop after a turn's tools ran (the last messages are their answers). */
  stoppedByCondition: boolean;
  /** Tool calls that wait for a decision: the run ended after their turn (empty when none). */
  pendingApprovals: ApprovalRequest[];
}

/**
 * The tool loop: model → tools → model … until the model answers without tool calls, or
 * `maxSteps` model turns have run (then the last turn's tool calls are not executed, and
 * `invoke` reports `stoppedAtMaxSteps: true` — a result, not an error), or `stopWhen` holds after
 * a turn's tools have run (`stoppedByCondition: true`). `prepareStep` may change the model, the
 * tools, the messages or the call options of each turn.
 *
 * `stream` emits every `AIMessageChunk` of every model turn and each `ToolMessage` as it
 * completes; `streamEvents` shows the model and tool runs of every step under the agent's run,
 * the model runs tagged `agent:step:N`.
 */
export class Agent extends Runnable<ChatModelInput, AgentChunk, AgentResult> {
  readonly runType = 'chain' as const;
  private readonly options: AgentOptions;
  private readonly model: BaseChatModel;
  private readonly maxSteps: number;
  private readonly stopWhen: readonly StopCondition[];

  /** `record`: set on the copy that runs one root call (@internal). */
  constructor(options: AgentOptions, private readonly record?: RunRecord) {
    super();
    this.maxSteps = positiveCount('agent', 'maxSteps', options.maxSteps, 10, { infinity: false });
    this.options = options;
    this.model = this.bindModel(options.model, this.allowed(options.tools));
    // Built once here so that bad tool options fail where the agent is made.
    this.toolExecutor(options.tools);
    this.stopWhen = options.stopWhen === undefined ? [] : typeof options.stopWhen === 'function' ? [options.stopWhen] : [...options.stopWhen];
    this.runName = 'Agent';
  }

  override stream(input: ChatModelInput, config?: RunnableConfig): StreamObservable<AgentChunk> {
    return this.perRun(config, (agent, rest) => agent.stream(input, rest)) ?? super.stream(input, config);
  }

  override invoke(input: ChatModelInput, config?: RunnableConfig): Promise<AgentResult> {
    if (this.record) return super.invoke(input, config);
    const { allowedTools, approvals, ...rest } = config ?? {};
    return this.forRun({ allowedTools, approvals }).invoke(input, rest);
  }

  override streamEvents(input: ChatModelInput, config?: RunnableConfig, filter?: EventFilter): StreamObservable<StreamEvent> {
    return this.perRun(config, (agent, rest) => agent.streamEvents(input, rest, filter)) ?? super.streamEvents(input, config, filter);
  }

  /** A root call runs on a copy per subscription: it carries the call's tool settings and what the run records. */
  private perRun<T>(config: RunnableConfig | undefined, call: (agent: Agent, rest: RunnableConfig) => Observable<T>): StreamObservable<T> | undefined {
    if (this.record) return undefined;
    const { allowedTools, approvals, ...rest } = config ?? {};
    return new StreamObservable<T>((subscriber) => call(this.forRun({ allowedTools, approvals }), rest).subscribe(subscriber));
  }

  private forRun(overrides: Pick<RunnableConfig, 'allowedTools' | 'approvals'>): Agent {
    return new Agent({
      ...this.options,
      ...(overrides.allowedTools && { allowedTools: overrides.allowedTools }),
      ...(overrides.approvals && { approvals: overrides.approvals }),
    }, { pending: [] });
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<AgentChunk> {
    return new Observable<AgentChunk>((subscriber) => {
      const gate = new ToolCallGate({
        ...(this.options.allowedTools && { allowedTools: this.options.allowedTools }),
        ...(this.options.approvals && { approvals: this.options.approvals }),
      });
      gate.open();
      const subscription = this.loop(input, run, gate).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        gate.close();
      };
    });
  }

  private loop(input: ChatModelInput, run: RunContext, gate: ToolCallGate): Observable<AgentChunk> {
    const scope = run.childScope();
    const conversation = [...toMessages(input)];
    const steps: AgentStep[] = [];
    const record = this.record;
    if (record) record.pending = [];
    // Requests of this turn left without a decision end the run after it.
    const pendingAfter = (before: number, next: () => Observable<AgentChunk>) => defer(() => {
      if (gate.pending.length === before) return next();
      record?.pending.push(...gate.pending.slice(before));
      return EMPTY;
    });
    const turn = (stepNumber: number): Observable<AgentChunk> => defer(() => {
      const settings = this.options.prepareStep?.({ stepNumber, steps: [...steps], messages: [...conversation] }) ?? {};
      const { model, executor } = this.stepRunners(settings, gate);
      const stepTag = `agent:step:${stepNumber}`;
      const chunks: AIMessageChunk[] = [];
      const modelTurn$ = model._call(of(settings.messages ?? [...conversation]), scope, { stepTag }).pipe(tap((chunk) => chunks.push(chunk)));
      const next$ = defer(() => {
        const answer = concatChunks(chunks).toMessage();
        conversation.push(answer);
        const step: AgentStep = { stepNumber, message: answer, toolMessages: [] };
        steps.push(step);
        const hasCalls = answer.toolCalls.length > 0 || answer.invalidToolCalls.length > 0;
        if (!hasCalls || stepNumber >= this.maxSteps) return EMPTY;
        const before = gate.pending.length;
        const tools$ = executor._call(of(answer), scope, { stepTag }).pipe(tap((message) => {
          conversation.push(message);
          step.toolMessages.push(message);
        }));
        return concat(tools$, pendingAfter(before, () => (shouldStop(this.stopWhen, steps) ? EMPTY : turn(stepNumber + 1))));
      });
      return concat(modelTurn$, next$);
    });
    const unanswered = unansweredCalls(conversation);
    if (!unanswered) return turn(1);
    // A history that ends with tool calls unanswered (a run that waited for approvals) is
    // resumed: those calls are answered first, without a model turn.
    if (record) record.resumed = unanswered;
    const { executor } = this.stepRunners({}, gate);
    const resumed$ = executor._call(of(unanswered), scope, { stepTag: 'agent:resume' }).pipe(tap((message) => conversation.push(message)));
    return concat(resumed$, pendingAfter(0, () => turn(1)));
  }

  /** The model and tool runner of one turn: the agent's own unless `prepareStep` changed them. */
  private stepRunners(settings: StepSettings, gate: ToolCallGate): { model: BaseChatModel; executor: ToolExecutor } {
    const tools = settings.tools ?? this.options.tools;
    const model = settings.model || settings.tools ? this.bindModel(settings.model ?? this.options.model, this.allowed(tools)) : this.model;
    return {
      model: settings.options ? model.withCallOptions(settings.options) : model,
      executor: this.toolExecutor(tools, gate),
    };
  }

  /** The tools the model is offered: those `allowedTools` lists. */
  private allowed(tools: ReadonlyArray<StructuredTool<any, any>>): ReadonlyArray<StructuredTool<any, any>> {
    const names = this.options.allowedTools;
    return names ? tools.filter((t) => names.includes(t.name)) : tools;
  }

  private bindModel(model: BaseChatModel, tools: ReadonlyArray<StructuredTool<any, any>>): BaseChatModel {
    return model.bindTools(tools, {
      ...(this.options.toolChoice !== undefined && { toolChoice: this.options.toolChoice }),
      ...(this.options.parallelToolCalls !== undefined && { parallelToolCalls: this.options.parallelToolCalls }),
    });
  }

  private toolExecutor(tools: ReadonlyArray<StructuredTool<any, any>>, gate?: ToolCallGate): ToolExecutor {
    return new ToolExecutor(tools, {
      ...(this.options.toolConcurrency !== undefined && { concurrency: this.options.toolConcurrency }),
      ...(this.options.toolTimeoutMs !== undefined && { timeoutMs: this.options.toolTimeoutMs }),
    }, gate);
  }

  protected override aggregateOutput(outputs: AgentChunk[]): AgentResult {
    const messages: BaseMessage[] = [];
    let turn: AIMessageChunk[] = [];
    let steps = 0;
    const closeTurn = () => {
      if (!turn.length) return;
      messages.push(concatChunks(turn).toMessage());
      steps++;
      turn = [];
    };
    for (const item of outputs) {
      if (isAIMessageChunk(item)) turn.push(item);
      else {
        closeTurn();
        messages.push(item);
      }
    }
    closeTurn();
    const pendingApprovals = this.record ? [...this.record.pending] : [];
    // A resumed run that waits again before any model turn: its output is the message it resumed.
    const output = [...messages].reverse().find((m): m is AIMessage => m.type === 'ai') ?? this.record?.resumed;
    if (!output) throw new TypeError('The agent produced no model message');
    if (pendingApprovals.length) return { output, messages, steps, stoppedAtMaxSteps: false, stoppedByCondition: false, pendingApprovals };
    // The loop ends on a model turn, except when `stopWhen` ends it after the turn's tools.
    const endedOnTools = messages[messages.length - 1] !== output;
    const unanswered = output.toolCalls.length + output.invalidToolCalls.length > 0;
    return { output, messages, steps, stoppedAtMaxSteps: unanswered && !endedOnTools, stoppedByCondition: endedOnTools, pendingApprovals };
  }
}

/** The last message as one carrying only its calls still unanswered, when it is an assistant message with such calls. */
function unansweredCalls(conversation: readonly BaseMessage[]): AIMessage | undefined {
  let index = conversation.length - 1;
  const answered = new Set<string>();
  while (index >= 0 && conversation[index] instanceof ToolMessage) answered.add((conversation[index--] as ToolMessage).toolCallId);
  const message = conversation[index];
  const last = isAIMessageChunk(message) ? message.toMessage() : message;
  if (!(last instanceof AIMessage)) return undefined;
  const toolCalls = last.toolCalls.filter((call) => !answered.has(call.id));
  const invalidToolCalls = last.invalidToolCalls.filter((call) => !call.id || !answered.has(call.id));
  if (!toolCalls.length && !invalidToolCalls.length) return undefined;
  return new AIMessage({ content: last.content, toolCalls, invalidToolCalls });
}

/**
 * An agent: a runnable that lets a model call tools until it has an answer.
 *
 * @example
 * ```ts
 * import { agent } from 'rxllm';
 * const assistant = agent({ model, tools: [weather], maxSteps: 5 });
 * assistant.stream('Weather in Paris?').subscribe((chunk) => render(chunk));
 * const { output, steps } = await assistant.invoke('Weather in Paris?');
 * ```
 */
export function agent(options: AgentOptions): Agent {
  return new Agent(options);
}
