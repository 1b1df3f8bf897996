export { StructuredTool, tool, type ToolFields, type ToolRuntime, type ToolResult } from './StructuredTool.js';
export { ToolExecutor, executeTools, type ExecuteToolsOptions, type ToolTimeouts } from './executeTools.js';
