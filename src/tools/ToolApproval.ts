/** The tool call an approval is about, as `needsApproval` sees it. */
export interface ApprovalToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/**
 * A tool call waiting for a decision, sent as the custom event `tool_approval_request`. Its
 * `approvalId` is the call's id, so a request still matches its call after a restart.
 */
export interface ApprovalRequest {
  approvalId: string;
  toolCall: ApprovalToolCall;
}

/** The answer to an `ApprovalRequest`: approved, the tool runs; denied, the model reads `reason`. */
export interface ApprovalDecision {
  approvalId: string;
  approved: boolean;
  reason?: string;
}

/** Whether a tool's calls wait for approval: always, never, or decided per call. */
export type NeedsApproval = boolean | ((call: ApprovalToolCall) => boolean | PromiseLike<boolean>);

/** The name of the custom event that carries an `ApprovalRequest`. */
export const TOOL_APPROVAL_REQUEST = 'tool_approval_request';
