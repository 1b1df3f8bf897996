import { context as otelContext, metrics, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { CallbackHandler } from '../callbacks/CallbackHandler.js';
import { maskSecrets } from '../errors/maskSecrets.js';
import { eventTypeOf, type RunType, type StreamEvent } from '../events/StreamEvent.js';
import type { AIMessageChunk, ToolCall } from '../messages/AIMessageChunk.js';
import { modelDescriptionOf } from '../models/ModelDescription.js';
import { genAiInstruments, type GenAiInstruments } from './genAiInstruments.js';
import { ATTR, CANCELLED, OPERATION, SCOPE_NAME } from './genAiNames.js';
import type { OpenTelemetryCallbackHandlerOptions } from './OpenTelemetryOptions.js';
import { checkOptions, preciseNow } from './telemetryInternals.js';

/** A run whose span is open. */
interface OpenRun {
  readonly span: Span;
  readonly type: RunType;
  readonly name: string;
  readonly startMs: number;
  /** A chat model run's metric attributes (operation, provider, request model). */
  readonly metricAttributes?: Attributes;
  firstChunkMs?: number;
  lastChunkMs?: number;
  /** The tool calls this run's input holds (a tool executor's), until a tool run claims each. */
  toolCalls?: ToolCall[];
  agent?: boolean;
}

const AGENT_STEP_TAG = /^agent:step:\d+$/;

/**
 * A callback handler that turns the run tree into OpenTelemetry spans, one per run, each the
 * child of its parent run's span (as in `parent_ids`), with the GenAI semantic conventions'
 * attributes: `chat {model}` spans for chat models (provider, request and response model,
 * token usage, finish reasons, time to first chunk), `execute_tool {name}` spans for tools
 * (tool name and call id), `invoke_agent {name}` for an agent's run and a span per chain step.
 * Chat model runs also record the GenAI client metrics: operation duration, token usage, time to
 * first chunk, time per output chunk, and output tokens per second.
 *
 * An error sets the span's status and records the exception, with its message masked. A run that
 * is unsubscribed reports no end: `endOpenSpans()` ends what is left open. `instrument()` makes one
 * handler per call and does that itself; prefer it.
 *
 * @example
 * ```ts
 * import { OpenTelemetryCallbackHandler } from 'rxllm/otel';
 * const telemetry = new OpenTelemetryCallbackHandler({ tracer: trace.getTracer('my-app') });
 * await chain.invoke({ topic: 'otters' }, { callbacks: [telemetry] });
 * ```
 */
export class OpenTelemetryCallbackHandler implements CallbackHandler {
  private readonly tracer: Tracer;
  private readonly instruments: GenAiInstruments;
  private readonly now: () => number;
  private readonly context?: Context;
  private readonly runs = new Map<string, OpenRun>();

  constructor(options: OpenTelemetryCallbackHandlerOptions = {}) {
    checkOptions('OpenTelemetryCallbackHandler', options);
    this.tracer = options.tracer ?? trace.getTracer(SCOPE_NAME);
    this.instruments = genAiInstruments(options.meter ?? metrics.getMeter(SCOPE_NAME));
    this.now = options.now ?? preciseNow;
    if (options.context) this.context = options.context;
  }

  /** How many runs have a span that is still open. */
  get openSpans(): number {
    return this.runs.size;
  }

  handleEvent(event: StreamEvent): void {
    if (event.event === 'on_custom_event') {
      // Only the name: a custom event's payload is the application's and may hold anything.
      this.runs.get(event.run_id)?.span.addEvent(event.name, this.now());
      return;
    }
    // Stream events come once per chunk of every run: they skip the name parsing.
    if (event.event.endsWith('_stream')) this.chunk(event);
    else if (event.event.endsWith('_start')) this.start(event, eventTypeOf(event) as RunType);
    else if (event.event.endsWith('_end')) this.end(event);
    else this.fail(event);
  }

  /**
   * Ends every span still open, its status an error (`error.type` `cancelled`): for runs that were
   * unsubscribed or aborted, which report no end of their own.
   */
  endOpenSpans(): void {
    const now = this.now();
    for (const run of this.runs.values()) {
      run.span.setAttribute(ATTR.errorType, CANCELLED);
      run.span.setStatus({ code: SpanStatusCode.ERROR, message: 'The run was cancelled before it ended' });
      if (run.metricAttributes) this.instruments.operationDuration.record((now - run.startMs) / 1000, { ...run.metricAttributes, [ATTR.errorType]: CANCELLED });
      run.span.end(now);
    }
    this.runs.clear();
  }

  private start(event: StreamEvent, type: RunType): void {
    const now = this.now();
    const parent = this.parentOf(event);
    const parentContext = parent ? trace.setSpan(this.context ?? otelContext.active(), parent.span) : (this.context ?? otelContext.active());
    const attributes: Attributes = { [ATTR.runId]: event.run_id, [ATTR.runType]: type };
    if (event.tags.length) attributes[ATTR.runTags] = [...event.tags];
    let spanName = event.name;
    let kind = SpanKind.INTERNAL;
    let metricAttributes: Attributes | undefined;
    let toolCalls: ToolCall[] | undefined;
    if (type === 'chat_model') {
      const description = modelDescriptionOf(event.data?.input) ?? {};
      const model = description.model ?? stringOf(event.metadata.ls_model_name);
      const provider = description.provider ?? stringOf(event.metadata.ls_provider);
      metricAttributes = {
        [ATTR.operationName]: OPERATION.chat,
        ...(provider !== undefined && { [ATTR.providerName]: provider }),
        ...(model !== undefined && { [ATTR.requestModel]: model }),
      };
      Object.assign(attributes, metricAttributes);
      if (description.temperature !== undefined) attributes[ATTR.requestTemperature] = description.temperature;
      if (description.maxTokens !== undefined) attributes[ATTR.requestMaxTokens] = description.maxTokens;
      spanName = model ? `${OPERATION.chat} ${model}` : OPERATION.chat;
      kind = SpanKind.CLIENT;
      // The agent loop tags its model turns: the parent of one is an agent.
      if (parent && !parent.agent && event.tags.some((tag) => AGENT_STEP_TAG.test(tag))) markAgent(parent);
    } else if (type === 'tool') {
      attributes[ATTR.operationName] = OPERATION.executeTool;
      attributes[ATTR.toolName] = event.name;
      attributes[ATTR.toolType] = 'function';
      const callId = parent && claimToolCall(parent, event.name, event.data?.input);
      if (callId) attributes[ATTR.toolCallId] = callId;
      spanName = `${OPERATION.executeTool} ${event.name}`;
    } else {
      if (type === 'chain') attributes[ATTR.operationName] = OPERATION.chain;
      toolCalls = toolCallsOf(event.data?.input);
    }
    const span = this.tracer.startSpan(spanName, { kind, attributes, startTime: now }, parentContext);
    this.runs.set(event.run_id, {
      span, type, name: event.name, startMs: now,
      ...(metricAttributes && { metricAttributes }),
      ...(toolCalls && { toolCalls }),
    });
  }

  private chunk(event: StreamEvent): void {
    const run = this.runs.get(event.run_id);
    if (!run?.metricAttributes) return;
    const now = this.now();
    if (run.firstChunkMs === undefined) {
      run.firstChunkMs = now;
      const seconds = (now - run.startMs) / 1000;
      run.span.setAttribute(ATTR.responseTimeToFirstChunk, seconds);
      this.instruments.timeToFirstChunk.record(seconds, run.metricAttributes);
    } else {
      this.instruments.timePerOutputChunk.record((now - (run.lastChunkMs as number)) / 1000, run.metricAttributes);
    }
    run.lastChunkMs = now;
  }

  private end(event: StreamEvent): void {
    const run = this.runs.get(event.run_id);
    if (!run) return;
    this.runs.delete(event.run_id);
    const now = this.now();
    const output = event.data?.output;
    if (run.metricAttributes) this.endChat(run, output as AIMessageChunk | undefined, now);
    else if (run.type === 'tool') {
      // A tool given a whole tool call answers with a ToolMessage that names it.
      const callId = stringOf((output as { toolCallId?: unknown } | undefined)?.toolCallId);
      if (callId) run.span.setAttribute(ATTR.toolCallId, callId);
    }
    run.span.end(now);
  }

  private endChat(run: OpenRun, output: AIMessageChunk | undefined, now: number): void {
    const span = run.span;
    const metadata = output?.responseMetadata ?? {};
    const responseModel = stringOf(metadata.model_name) ?? stringOf(metadata.model);
    const attributes: Attributes = responseModel ? { ...run.metricAttributes, [ATTR.responseModel]: responseModel } : { ...run.metricAttributes };
    if (responseModel) span.setAttribute(ATTR.responseModel, responseModel);
    if (output?.id) span.setAttribute(ATTR.responseId, output.id);
    if (output?.finishReason) span.setAttribute(ATTR.responseFinishReasons, [output.finishReason]);
    const usage = output?.usage;
    const { operationDuration, tokenUsage, outputTokensPerSecond } = this.instruments;
    operationDuration.record((now - run.startMs) / 1000, attributes);
    if (!usage) return;
    span.setAttributes({ [ATTR.usageInputTokens]: usage.inputTokens, [ATTR.usageOutputTokens]: usage.outputTokens });
    if (usage.cachedInputTokens !== undefined) span.setAttribute(ATTR.usageCacheReadInputTokens, usage.cachedInputTokens);
    if (usage.reasoningTokens !== undefined) span.setAttribute(ATTR.usageReasoningOutputTokens, usage.reasoningTokens);
    tokenUsage.record(usage.inputTokens, { ...attributes, [ATTR.tokenType]: 'input' });
    tokenUsage.record(usage.outputTokens, { ...attributes, [ATTR.tokenType]: 'output' });
    // The rate of generation: from the first chunk on, or over the whole call when it came in one piece.
    const from = run.firstChunkMs !== undefined && run.firstChunkMs < now ? run.firstChunkMs : run.startMs;
    if (now > from) outputTokensPerSecond.record(usage.outputTokens / ((now - from) / 1000), attributes);
  }

  private fail(event: StreamEvent): void {
    const run = this.runs.get(event.run_id);
    if (!run) return;
    this.runs.delete(event.run_id);
    const now = this.now();
    const error = describe(event.data?.error);
    run.span.recordException(error, now);
    run.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    run.span.setAttribute(ATTR.errorType, error.name);
    if (run.metricAttributes) this.instruments.operationDuration.record((now - run.startMs) / 1000, { ...run.metricAttributes, [ATTR.errorType]: error.name });
    run.span.end(now);
  }

  /** The nearest ancestor with an open span: a run between them may not be reported to this handler. */
  private parentOf(event: StreamEvent): OpenRun | undefined {
    const ids = event.parent_ids;
    for (let i = ids.length - 1; i >= 0; i--) {
      const run = this.runs.get(ids[i]);
      if (run) return run;
    }
    return undefined;
  }
}

function markAgent(run: OpenRun): void {
  run.agent = true;
  run.span.updateName(`${OPERATION.invokeAgent} ${run.name}`);
  run.span.setAttributes({ [ATTR.operationName]: OPERATION.invokeAgent, [ATTR.agentName]: run.name });
}

/** The tool calls a run's input holds, when it is an assistant message with some (a tool executor's input). */
function toolCallsOf(input: unknown): ToolCall[] | undefined {
  if (typeof input !== 'object' || input === null || (input as { type?: unknown }).type !== 'ai') return undefined;
  const calls = (input as { toolCalls?: unknown }).toolCalls;
  return Array.isArray(calls) && calls.length ? [...(calls as ToolCall[])] : undefined;
}

/**
 * The id of the call a tool run answers: the executor hands each tool its call's arguments (the
 * same object, or equal ones), and the run's name is the tool's. Each call is claimed once.
 */
function claimToolCall(parent: OpenRun, name: string, args: unknown): string | undefined {
  const calls = parent.toolCalls;
  if (!calls) return undefined;
  let index = calls.findIndex((call) => call.name === name && call.args === args);
  if (index < 0) {
    const json = safeJson(args);
    index = calls.findIndex((call) => call.name === name && safeJson(call.args) === json);
  }
  if (index < 0) index = calls.findIndex((call) => call.name === name);
  if (index < 0) return undefined;
  return calls.splice(index, 1)[0].id;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** An error event's `{ name, message }` (masked when the event was built; masked again, as a span leaves the process). */
function describe(error: unknown): { name: string; message: string } {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return { name: stringOf(name) ?? 'Error', message: maskSecrets(typeof message === 'string' ? message : String(message ?? '')) };
}
