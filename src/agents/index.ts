export { Agent, agent, type AgentOptions, type AgentChunk, type AgentResult } from './Agent.js';
