import { Component, Input, signal, type OnDestroy } from '@angular/core';
import MarkdownIt from 'markdown-it';
import { Subject, type Subscription } from 'rxjs';
import { markdownBlocks } from 'rxllm';

// Raw HTML in an answer stays text (`html: false`); Angular sanitizes `[innerHTML]` as well.
const md = new MarkdownIt({ html: false, linkify: true });

/**
 * An answer's Markdown as HTML while it streams: `markdownBlocks` settles each finished block once
 * (its HTML never changes, so Angular never touches it again) and re-renders only the block being
 * written. The input is the message's whole text so far; what it adds is pushed as a chunk.
 */
@Component({
  selector: 'progressive-markdown',
  template: `
    @for (html of settled(); track $index) {
      <div class="block" [innerHTML]="html"></div>
    }
    @if (tail(); as html) {
      <div class="block tail" [innerHTML]="html"></div>
    }
  `,
})
export class ProgressiveMarkdown implements OnDestroy {
  readonly settled = signal<readonly string[]>([]);
  readonly tail = signal<string | undefined>(undefined);
  private chunks?: Subject<string>;
  private subscription?: Subscription;
  private seen = '';

  @Input({ required: true }) set text(text: string) {
    // An edited or regenerated message does not extend what was rendered: start over.
    if (!this.chunks || !text.startsWith(this.seen)) this.restart();
    const added = text.slice(this.seen.length);
    this.seen = text;
    if (added !== '') this.chunks!.next(added);
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private restart(): void {
    this.subscription?.unsubscribe();
    this.seen = '';
    this.settled.set([]);
    this.tail.set(undefined);
    const chunks = new Subject<string>();
    this.chunks = chunks;
    this.subscription = chunks.pipe(markdownBlocks({ render: (source, env) => md.render(source, env) })).subscribe((update) => {
      if (update.settled.length > 0) this.settled.update((blocks) => [...blocks, ...update.settled.map((block) => block.html ?? '')]);
      this.tail.set(update.tail?.html);
    });
  }
}
