export { StructuredTool, tool, type ToolFields, type ToolRuntime, type ToolResult } from './StructuredTool.js';
export { ToolExecutor, executeTools, type ExecuteToolsOptions, type ToolTimeouts } from './executeTools.js';
export { TOOL_APPROVAL_REQUEST, type ApprovalDecision, type ApprovalRequest, type ApprovalToolCall, type NeedsApproval } from './ToolApproval.js';
