import MarkdownIt from 'markdown-it';
import { tests as commonMarkExamples, text as commonMarkSpec } from 'commonmark-spec';
import { from } from 'rxjs';
import { markdownBlocks } from '../../src/documents/markdownBlocks.js';
import type { MarkdownBlocksOptions, MarkdownBlocksUpdate } from '../../src/documents/MarkdownBlock.js';
import { seededRandom } from '../support/seededRandom.js';

// Every example of the CommonMark spec through markdownBlocks({ render }) at several chunkings:
// the settled blocks' HTML joined must be markdown-it's HTML for the whole example, their sources
// the example itself, and nothing may be left in the tail at the end.

/** The spec writes tabs as →. */
const examples = commonMarkExamples.map((example) => ({ number: example.number, markdown: example.markdown.replace(/→/g, '\t') }));


const chunkings: Record<string, (text: string, seed: number) => string[]> = {
  'whole': (text) => [text],
  'one character at a time': (text) => [...text],
  'seeded random pieces of 1-8 characters': (text, seed) => {
    const random = seededRandom(seed);
    const pieces: string[] = [];
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(random() * 8);
      pieces.push(text.slice(at, at + size));
      at += size;
    }
    return pieces;
  },
  'line by line': (text) => text.split(/(?<=\r\n|\n|\r(?!\n))/),
};

interface Outcome {
  html: string;
  sources: string;
  lastTail: MarkdownBlocksUpdate['tail'];
}

function stream(pieces: readonly string[], options: MarkdownBlocksOptions): Outcome {
  const outcome: Outcome = { html: '', sources: '', lastTail: undefined };
  from(pieces).pipe(markdownBlocks(options)).subscribe(({ settled, tail }) => {
    for (const block of settled) {
      outcome.html += block.html;
      outcome.sources += block.source;
    }
    outcome.lastTail = tail;
  });
  return outcome;
}

const presets = [
  { name: "markdown-it 'commonmark' (raw HTML on)", md: new MarkdownIt('commonmark'), html: true },
  { name: 'markdown-it default preset (raw HTML off, tables)', md: new MarkdownIt(), html: false },
] as const;

describe('markdownBlocks against the CommonMark spec', () => {
  it(`has the spec's ${examples.length} examples to read`, () => {
    expect(examples).toHaveLength(652);
  });

  for (const preset of presets) {
    describe(preset.name, () => {
      const render = (markdown: string, env: Record<string, unknown>) => preset.md.render(markdown, env);
      const expected = examples.map((example) => preset.md.render(example.markdown, {}));

      for (const [chunking, cut] of Object.entries(chunkings)) {
        it(`renders ≥ 99% of the examples as markdown-it renders them whole, ${chunking}`, () => {
          const failing = examples.filter((example, index) => {
            const outcome = stream(cut(example.markdown, example.number), { render, html: preset.html });
            return outcome.html !== expected[index] || outcome.sources !== example.markdown || outcome.lastTail !== undefined;
          }).map((example) => example.number);
          const share = 1 - failing.length / examples.length;
          // On failure the diff shows which examples differ.
          expect({ atLeast99Percent: share >= 0.99, failing }).toEqual({ atLeast99Percent: true, failing: expect.any(Array) });
        });
      }

      it('after every chunk, renders the settled blocks and the tail as markdown-it renders the text so far', () => {
        const failing = examples.filter((example) => {
          let text = '';
          let settledHtml = '';
          let same = true;
          const pieces = chunkings['seeded random pieces of 1-8 characters'](example.markdown, example.number);
          let index = 0;
          from(pieces).pipe(markdownBlocks({ render, html: preset.html })).subscribe(({ settled, tail }) => {
            text += pieces[index++] ?? '';
            for (const block of settled) settledHtml += block.html;
            if (settledHtml + (tail?.html ?? '') !== preset.md.render(text, {})) same = false;
          });
          return !same;
        }).map((example) => example.number);
        expect({ atLeast99Percent: 1 - failing.length / examples.length >= 0.99, failing }).toEqual({ atLeast99Percent: true, failing: expect.any(Array) });
      });

      it('renders the spec itself (a 200 KB document) in random pieces as markdown-it renders it whole', () => {
        const outcome = stream(chunkings['seeded random pieces of 1-8 characters'](commonMarkSpec, 3), { render, html: preset.html });
        expect(outcome.sources).toBe(commonMarkSpec);
        expect(outcome.html).toBe(preset.md.render(commonMarkSpec, {}));
      });
    });
  }

  it('tells a splitter at blank lines from the block rules: one scores below the target', () => {
    const md = new MarkdownIt('commonmark');
    const identical = examples.filter((example) => {
      const env = {};
      const html = example.markdown.split(/(?<=\n\n)/).map((piece) => md.render(piece, env)).join('');
      return html === md.render(example.markdown, {});
    });
    expect(identical.length / examples.length).toBeLessThan(0.99);
  });

  it("with unresolvedLabels: 'settle', differs only where a reference definition comes after a label that uses it", () => {
    const md = new MarkdownIt('commonmark');
    const render = (markdown: string, env: Record<string, unknown>) => md.render(markdown, env);
    const differing = examples.filter((example) => stream([example.markdown], { render, unresolvedLabels: 'settle' }).html !== md.render(example.markdown, {}));
    expect(differing.length).toBeGreaterThan(0); // what the option gives up, shown
    for (const example of differing) {
      // A definition line ([label]: …) after the first line: the label was used before it.
      expect({ number: example.number, laterDefinition: /\n[ >\-*+\d.)]*\[[^\]]+\]:/.test(example.markdown) })
        .toEqual({ number: example.number, laterDefinition: true });
    }
  });
});
