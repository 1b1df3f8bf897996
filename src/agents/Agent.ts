import { EMPTY, concat, defer, of, tap, type Observable } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';
import { concatChunks, isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { ToolMessage, type AIMessage, type BaseMessage } from '../messages/messages.js';
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
  private readonly executor: ToolExecutor;
  private readonly maxSteps: number;
  private readonly stopWhen: readonly StopCondition[];

  constructor(options: AgentOptions) {
    super();
    this.maxSteps = positiveCount('agent', 'maxSteps', options.maxSteps, 10, { infinity: false });
    this.options = options;
    this.model = this.bindModel(options.model, options.tools);
    this.executor = this.toolExecutor(options.tools);
    this.stopWhen = options.stopWhen === undefined ? [] : typeof options.stopWhen === 'function' ? [options.stopWhen] : [...options.stopWhen];
    this.runName = 'Agent';
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<AgentChunk> {
    const scope = run.childScope();
    const conversation = [...toMessages(input)];
    const steps: AgentStep[] = [];
    const turn = (stepNumber: number): Observable<AgentChunk> => defer(() => {
      const settings = this.options.prepareStep?.({ stepNumber, steps: [...steps], messages: [...conversation] }) ?? {};
      const { model, executor } = this.stepRunners(settings);
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
        const tools$ = executor._call(of(answer), scope, { stepTag }).pipe(tap((message) => {
          conversation.push(message);
          step.toolMessages.push(message);
        }));
        return concat(tools$, defer(() => (shouldStop(this.stopWhen, steps) ? EMPTY : turn(stepNumber + 1))));
      });
      return concat(modelTurn$, next$);
    });
    return turn(1);
  }

  /** The model and tool runner of one turn: the agent's own unless `prepareStep` changed them. */
  private stepRunners(settings: StepSettings): { model: BaseChatModel; executor: ToolExecutor } {
    const tools = settings.tools ?? this.options.tools;
    const model = settings.model || settings.tools ? this.bindModel(settings.model ?? this.options.model, tools) : this.model;
    return {
      model: settings.options ? model.withCallOptions(settings.options) : model,
      executor: settings.tools ? this.toolExecutor(settings.tools) : this.executor,
    };
  }

  private bindModel(model: BaseChatModel, tools: ReadonlyArray<StructuredTool<any, any>>): BaseChatModel {
    return model.bindTools(tools, {
      ...(this.options.toolChoice !== undefined && { toolChoice: this.options.toolChoice }),
      ...(this.options.parallelToolCalls !== undefined && { parallelToolCalls: this.options.parallelToolCalls }),
    });
  }

  private toolExecutor(tools: ReadonlyArray<StructuredTool<any, any>>): ToolExecutor {
    return new ToolExecutor(tools, {
      ...(this.options.toolConcurrency !== undefined && { concurrency: this.options.toolConcurrency }),
      ...(this.options.toolTimeoutMs !== undefined && { timeoutMs: this.options.toolTimeoutMs }),
    });
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
    const output = [...messages].reverse().find((m): m is AIMessage => m.type === 'ai');
    if (!output) throw new TypeError('The agent produced no model message');
    // The loop ends on a model turn, except when `stopWhen` ends it after the turn's tools.
    const endedOnTools = messages[messages.length - 1] !== output;
    const unanswered = output.toolCalls.length + output.invalidToolCalls.length > 0;
    return { output, messages, steps, stoppedAtMaxSteps: unanswered && !endedOnTools, stoppedByCondition: endedOnTools };
  }
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
