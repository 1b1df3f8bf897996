import { SectionTracker } from '../../src/markdown/SectionTracker.js';

describe('SectionTracker', () => {
  it('counts top-level headings of its level as sections, once their line is complete', () => {
    const tracker = new SectionTracker(2);
    tracker.push('## One\n\ntext\n\n## Tw');
    expect([tracker.current, tracker.started, tracker.done]).toEqual(['One', 1, 0]);
    tracker.push('o\n');
    expect([tracker.current, tracker.started, tracker.done]).toEqual(['Two', 2, 1]);
    tracker.finish();
    expect([tracker.current, tracker.started, tracker.done]).toEqual(['Two', 2, 2]);
  });

  it('counts Setext headings, not headings in quotes, lists or code, and ends a section at a higher-rank heading', () => {
    const tracker = new SectionTracker(2);
    tracker.push('Intro\n-----\n> ## quoted\n\n- ## listed\n\n```\n## fenced\n```\n\n    ## indented\n\n### deeper\n# Title\n');
    expect([tracker.current, tracker.started, tracker.done]).toEqual([undefined, 1, 1]);
  });

  it('reads a last heading without a line ending at the end', () => {
    const tracker = new SectionTracker(1);
    tracker.push('# Only');
    expect(tracker.started).toBe(0);
    tracker.finish();
    expect([tracker.current, tracker.started, tracker.done]).toEqual(['Only', 1, 1]);
  });
});
