export { StructuredTool, tool, type ToolFields, type ToolRuntime, type ToolResult } from './StructuredTool.js';
export { ToolExecutor, executeTools, type ExecuteToolsOptions } from './executeTools.js';
