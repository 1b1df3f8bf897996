import { AIMessage, InvalidOptionError, hasToolCall, stepCountIs, type AgentStep } from '../../src/index.js';

const step = (stepNumber: number, ...names: string[]): AgentStep => ({
  stepNumber,
  message: new AIMessage({ content: '', toolCalls: names.map((name, i) => ({ id: `c${i}`, name, args: {} })) }),
  toolMessages: [],
});

describe('stepCountIs', () => {
  it('holds once the count of steps is reached', () => {
    const condition = stepCountIs(2);
    expect([[], [step(1)], [step(1), step(2)], [step(1), step(2), step(3)]].map((steps) => condition({ steps }))).toEqual([false, false, true, true]);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => stepCountIs(0)).toThrow(InvalidOptionError);
    expect(() => stepCountIs(1.5)).toThrow('stepCountIs: count must be a positive integer, got 1.5');
  });
});

describe('hasToolCall', () => {
  it('holds when the last step called the named tool, among others', () => {
    const condition = hasToolCall('submit');
    expect(condition({ steps: [] })).toBe(false);
    expect(condition({ steps: [step(1, 'search', 'submit')] })).toBe(true);
    expect(condition({ steps: [step(1, 'submit'), step(2, 'search')] })).toBe(false);
  });
});
