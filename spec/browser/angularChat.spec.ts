/**
 * The Angular example page (`npm run demo:angular`) in Debian's Chromium: its server, the offline
 * model and the page's bundle, all real. What the page shows is read from the DOM, what it kept
 * from `localStorage`, and whether the model's request is still open from the server's side.
 */
import type { Page } from 'playwright-core';
import { startAngularDemo, type AngularDemo } from '../../examples/angular/server.js';
import { GUIDE, GUIDE_REASONING } from '../../examples/angular/transcripts.js';
import { describeBrowser, launchChromium, type Chromium } from './chromium.js';

jest.setTimeout(60_000);

// What the functions given to `page.evaluate` use of the page's globals (this program has no DOM types).
interface PageElement {
  readonly textContent: string | null;
}
declare const document: {
  readonly body: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare const localStorage: { getItem(key: string): string | null; clear(): void };
declare function requestAnimationFrame(callback: () => void): number;
declare const globalThis: { stopTiming?: Promise<{ clickedAt: number; readyAt: number }> };
declare function addEventListener(type: 'click', listener: (event: { target: unknown }) => void, capture: boolean): void;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: PageElement, options: { subtree: boolean; attributes: boolean; childList: boolean }): void;
  disconnect(): void;
}

const STORAGE_KEY = 'rxllm-angular-demo';

interface StoredMessage {
  id: string;
  role: string;
  text: string;
  reasoning?: string;
  stopped?: boolean;
}

describeBrowser('the Angular chat page in Chromium', () => {
  let browser: Chromium;
  let demo: AngularDemo;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [browser, demo] = await Promise.all([launchChromium(), startAngularDemo({ port: 0, tokenDelayMs: [6, 14] })]);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(demo.url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.locator('chat-app header').waitFor();
  });

  afterEach(async () => {
    await page.close();
    await demo.modelRequests.whenIdle();
  });

  const status = () => page.locator('[data-testid=status]').getAttribute('data-status');
  const lastAnswer = () => page.locator('[data-role=assistant]').last();
  const stored = () => page.evaluate((key) => {
    const text = localStorage.getItem(key);
    return text === null ? [] : (JSON.parse(text) as { messages: StoredMessage[] }).messages;
  }, STORAGE_KEY);
  const ask = async (text: string) => {
    await page.locator('input[name=prompt]').fill(text);
    await page.locator('input[name=prompt]').press('Enter');
  };
  const answerLengths = () => page.evaluate(() => {
    // Every length the last answer's text took, read once per frame until the page is ready again.
    return new Promise<number[]>((resolve) => {
      const lengths: number[] = [];
      const read = () => {
        const answers = document.querySelectorAll('[data-role=assistant] progressive-markdown');
        const length = answers.length === 0 ? 0 : (answers[answers.length - 1].textContent ?? '').length;
        if (length !== lengths[lengths.length - 1]) lengths.push(length);
        if (document.querySelector('[data-status=ready]') && length > 0) resolve(lengths);
        else requestAnimationFrame(read);
      };
      requestAnimationFrame(read);
    });
  });

  it('renders the answer as HTML that grows in many steps, with the reasoning, and no console errors', async () => {
    const lengths = answerLengths();
    await ask('Explain streaming in RxJS');
    const seen = await lengths;

    expect(seen.length).toBeGreaterThan(20);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const answer = lastAnswer();
    await expect(answer.locator('h1').textContent()).resolves.toBe('Streaming answers with RxJS');
    await expect(answer.locator('table tbody tr').count()).resolves.toBe(3);
    await expect(answer.locator('pre code').textContent()).resolves.toContain("model.stream('Hello')");
    await expect(answer.locator('[data-testid=reasoning]').textContent()).resolves.toBe(GUIDE_REASONING);
    await expect(answer.locator('[data-testid=usage]').getAttribute('data-stopped')).resolves.toBe('false');
    const messages = await stored();
    expect(messages.map((m) => [m.role, m.text])).toEqual([['user', 'Explain streaming in RxJS'], ['assistant', GUIDE]]);
    expect(problems).toEqual([]);
  });

  it('Stop halts the answer within 300 ms, closes the model request on the server, and keeps the partial answer with its usage', async () => {
    await ask('Explain streaming in RxJS');
    await page.waitForFunction(() => (document.querySelector('[data-role=assistant] progressive-markdown')?.textContent ?? '').length > 200);
    const stop = page.getByRole('button', { name: 'Stop' });
    await expect(stop.isEnabled()).resolves.toBe(true);
    expect(demo.modelRequests.open).toBe(1);

    // The page's clock times the click and the status turning ready, as a user counts: the driver's
    // own round trips for the click are not the page's latency. Page and server share the wall clock.
    await page.evaluate(() => {
      globalThis.stopTiming = new Promise((resolve) => {
        addEventListener('click', () => {
          const clickedAt = Date.now();
          const observer = new MutationObserver(() => {
            if (!document.querySelector('[data-testid=status][data-status=ready]')) return;
            observer.disconnect();
            resolve({ clickedAt, readyAt: Date.now() });
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
        }, true);
      });
    });
    const closedAt = demo.modelRequests.whenIdle().then(() => Date.now());
    await stop.click();
    const { clickedAt, readyAt } = await page.evaluate(() => globalThis.stopTiming!);
    const ready = readyAt - clickedAt;
    const modelClosed = await Promise.race([closedAt.then((at) => at - clickedAt), new Promise<number>((resolve) => setTimeout(resolve, 1_000, Infinity))]);

    // From the click: the page ready again, and the server's request to the model closed.
    expect(ready).toBeLessThan(300);
    expect(modelClosed).toBeLessThan(300);
    const shown = await lastAnswer().locator('progressive-markdown').textContent();
    await page.waitForTimeout(300);
    await expect(lastAnswer().locator('progressive-markdown').textContent()).resolves.toBe(shown);
    await expect(stop.isDisabled()).resolves.toBe(true);
    const usage = lastAnswer().locator('[data-testid=usage]');
    await expect(usage.getAttribute('data-stopped')).resolves.toBe('true');
    await expect(usage.textContent()).resolves.toMatch(/stopped\s*·\s*\d+ in, [1-9]\d* out \(estimated\)/);
    const answer = (await stored()).find((m) => m.role === 'assistant')!;
    expect(answer.stopped).toBe(true);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(GUIDE.startsWith(answer.text)).toBe(true);
    expect(answer.text.length).toBeLessThan(GUIDE.length);
    expect(problems).toEqual([]);
  });

  it('works the same with zone.js change detection (/?zone): the answer streams, Stop stops it', async () => {
    await page.goto(`${demo.url}?zone`);
    await expect(page.evaluate(() => typeof (globalThis as { Zone?: unknown }).Zone)).resolves.toBe('function');
    const lengths = answerLengths();
    await ask('Explain streaming in RxJS');
    await lengths;
    await expect(lastAnswer().locator('table tbody tr').count()).resolves.toBe(3);

    await ask('Explain streaming again');
    await page.waitForFunction(() => (document.querySelectorAll('[data-role=assistant] progressive-markdown')[1]?.textContent ?? '').length > 100);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.locator('[data-testid=status][data-status=ready]').waitFor({ timeout: 300 });
    await expect(lastAnswer().locator('[data-testid=usage]').getAttribute('data-stopped')).resolves.toBe('true');
    expect((await stored()).map((m) => m.text)).toEqual(['Explain streaming in RxJS', GUIDE, 'Explain streaming again', expect.any(String)]);
    expect(problems).toEqual([]);
  });

  it('resumes after the connection drops, with no text lost or repeated', async () => {
    const lengths = answerLengths();
    await ask('Explain streaming in RxJS');
    await page.waitForFunction(() => (document.querySelector('[data-role=assistant] progressive-markdown')?.textContent ?? '').length > 150);
    expect(demo.connections.size).toBeGreaterThan(0);
    for (const socket of demo.connections) socket.destroy();
    await lengths;

    const messages = await stored();
    expect(messages.map((m) => [m.role, m.text])).toEqual([['user', 'Explain streaming in RxJS'], ['assistant', GUIDE]]);
    expect(messages[1].reasoning).toBe(GUIDE_REASONING);
    expect(demo.modelRequests.open).toBe(0);
    // The dropped request is the one error the browser reports; nothing else may.
    expect(problems.filter((line) => !/net::ERR_|Failed to load resource/.test(line))).toEqual([]);
  });

  it('asks before the tool runs: the approval prompt, Approve, and the answer that reads the tool’s result', async () => {
    await ask('Book a table for 4');
    const prompt = page.locator('[data-testid=approval]');
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toContain('book_table');
    await expect(prompt.textContent()).resolves.toContain('"guests":4');
    await expect(page.locator('[data-testid=tool-call]').first().textContent()).resolves.toContain('{"restaurant":"Chez Rx","guests":4,"time":"19:30"}');
    await expect(status()).resolves.toBe('ready');

    await prompt.getByRole('button', { name: 'Approve' }).click();
    await page.waitForFunction(() => document.body.textContent?.includes('Table for 4 at Chez Rx, 19:30: confirmed.') && document.querySelector('[data-status=ready]'));
    await expect(prompt.count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=tool-call]').first().getAttribute('data-state')).resolves.toBe('done');
    expect((await stored()).at(-1)).toMatchObject({ role: 'assistant', text: 'The booking tool answered: Table for 4 at Chez Rx, 19:30: confirmed.' });
    expect(problems).toEqual([]);
  });

  it('Deny sends the reason to the model instead of running the tool', async () => {
    await ask('Book a table for 4');
    await page.locator('[data-testid=approval]').getByRole('button', { name: 'Deny' }).click();
    await page.waitForFunction(() => document.querySelector('[data-status=ready]') && !document.querySelector('[data-testid=approval]')
      && document.querySelectorAll('[data-role=assistant]').length === 2);
    await expect(page.locator('[data-testid=tool-call]').first().getAttribute('data-state')).resolves.toBe('denied');
    expect((await stored()).at(-1)?.text).not.toContain('confirmed');
    expect(problems).toEqual([]);
  });

  it('a reload restores the conversation, and re-attaches to an answer still running', async () => {
    await ask('Explain streaming in RxJS');
    await page.locator('[data-testid=usage]').waitFor();
    await ask('Explain streaming again');
    await page.waitForFunction(() => document.querySelectorAll('[data-role=assistant]').length === 2
      && (document.querySelectorAll('[data-role=assistant] progressive-markdown')[1]?.textContent ?? '').length > 100);
    await page.reload();

    await page.locator('[data-role=user]').nth(1).waitFor();
    const lengths = answerLengths();
    await expect(page.locator('[data-role=user]').allTextContents()).resolves.toEqual(['Explain streaming in RxJS', 'Explain streaming again']);
    await lengths;
    await page.locator('[data-testid=usage]').nth(1).waitFor();
    const messages = await stored();
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Explain streaming in RxJS'], ['assistant', GUIDE], ['user', 'Explain streaming again'], ['assistant', GUIDE],
    ]);
    await expect(lastAnswer().locator('h1').count()).resolves.toBe(1);
    expect(problems.filter((line) => !/net::ERR_|Failed to load resource/.test(line))).toEqual([]);
  });
});
