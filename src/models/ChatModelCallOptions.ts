/** A tool as a model sees it: a name, a description and a JSON Schema for its arguments. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
}

/** Which tool the model must call: any, none, at least one, or a named one. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Options a chat model sends with every request; set through `bindTools` and structured output. */
export interface ChatModelCallOptions {
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: { type: 'json_object' } | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };
  stop?: string[];
}
