import { EMPTY, concat, defer, of, tap, type Observable } from 'rxjs';
import { positiveCount } from '../errors/optionChecks.js';
import { concatChunks, isAIMessageChunk, type AIMessageChunk } from '../messages/AIMessageChunk.js';
import { ToolMessage, type AIMessage, type BaseMessage } from '../messages/messages.js';
import type { BaseChatModel, BindToolsOptions } from '../models/BaseChatModel.js';
import { toMessages, type ChatModelInput } from '../messages/toMessages.js';
import type { RunContext } from '../runnables/RunContext.js';
import { Runnable } from '../runnables/Runnable.js';
import { ToolExecutor } from '../tools/executeTools.js';
import type { StructuredTool } from '../tools/StructuredTool.js';

/** Options of `agent`. */
export interface AgentOptions {
  model: BaseChatModel;
  tools: ReadonlyArray<StructuredTool<any, any>>;
  /** The most model turns the loop makes (default 10). */
  maxSteps?: number;
  /** How many tool calls of one turn run at once (default: all). */
  toolConcurrency?: number;
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
}

/**
 * The tool loop: model → tools → model … until the model answers without tool calls, or
 * `maxSteps` model turns have run (then the last turn's tool calls are not executed, and
 * `invoke` reports `stoppedAtMaxSteps: true` — a result, not an error).
 *
 * `stream` emits every `AIMessageChunk` of every model turn and each `ToolMessage` as it
 * completes; `streamEvents` shows the model and tool runs of every step under the agent's run,
 * the model runs tagged `agent:step:N`.
 */
export class Agent extends Runnable<ChatModelInput, AgentChunk, AgentResult> {
  readonly runType = 'chain' as const;
  private readonly model: BaseChatModel;
  private readonly executor: ToolExecutor;
  private readonly maxSteps: number;

  constructor(options: AgentOptions) {
    super();
    const maxSteps = positiveCount('agent', 'maxSteps', options.maxSteps, 10, { infinity: false });
    this.model = options.model.bindTools(options.tools, {
      ...(options.toolChoice !== undefined && { toolChoice: options.toolChoice }),
      ...(options.parallelToolCalls !== undefined && { parallelToolCalls: options.parallelToolCalls }),
    });
    this.executor = new ToolExecutor(options.tools, { ...(options.toolConcurrency !== undefined && { concurrency: options.toolConcurrency }) });
    this.maxSteps = maxSteps;
    this.runName = 'Agent';
  }

  protected override _stream(input: ChatModelInput, run: RunContext): Observable<AgentChunk> {
    const scope = run.childScope();
    const conversation = [...toMessages(input)];
    const turn = (step: number): Observable<AgentChunk> => defer(() => {
      const chunks: AIMessageChunk[] = [];
      const modelTurn$ = this.model._call(of([...conversation]), scope, { stepTag: `agent:step:${step}` }).pipe(tap((chunk) => chunks.push(chunk)));
      const next$ = defer(() => {
        const answer = concatChunks(chunks).toMessage();
        conversation.push(answer);
        const hasCalls = answer.toolCalls.length > 0 || answer.invalidToolCalls.length > 0;
        if (!hasCalls || step >= this.maxSteps) return EMPTY;
        const tools$ = this.executor._call(of(answer), scope, { stepTag: `agent:step:${step}` }).pipe(tap((message) => conversation.push(message)));
        return concat(tools$, turn(step + 1));
      });
      return concat(modelTurn$, next$);
    });
    return turn(1);
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
    return { output, messages, steps, stoppedAtMaxSteps: output.toolCalls.length + output.invalidToolCalls.length > 0 };
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
