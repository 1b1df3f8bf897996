/**
 * `npm run demo:angular` as a user starts it: the script prints its address, serves the page and
 * its bundle, and answers `POST /api/chat` over Server-Sent Events from the offline model; Ctrl-C
 * (SIGINT) ends it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

jest.setTimeout(90_000);

describe('npm run demo:angular', () => {
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.OPENAI_API_KEY;
    child = spawn('npm', ['run', '--silent', 'demo:angular'], { cwd: resolve(__dirname, '../..'), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    url = await new Promise<string>((found, failed) => {
      const read = (data: Buffer) => {
        output += data.toString();
        const match = /rxllm chat \(Angular\): (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (match) found(match[1]);
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => failed(new Error(`demo:angular exited (${code}) before listening:\n${output}`)));
    });
  });

  afterAll(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  });

  it('serves the page on 127.0.0.1, zoneless by default and with zone.js on /?zone', async () => {
    const page = await fetch(url).then((response) => response.text());
    expect(page).toContain('<chat-app></chat-app>');
    expect(page).toContain('src="/main.js"');
    await expect(fetch(`${url}?zone`).then((response) => response.text())).resolves.toContain('src="/mainZone.js"');

    const script = await fetch(`${url}main.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const text = await script.text();
    expect(text).toContain('progressive-markdown');
    expect(text).toMatch(/sourceMappingURL=main\.js\.map\s*$/);
    expect((await fetch(`${url}main.js.map`)).ok).toBe(true);
    expect((await fetch(`${url}nothing.js`)).status).toBe(404);
  });

  it('streams an answer from the offline model as rxllm SSE frames, naming the run', async () => {
    const response = await fetch(`${url}api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', text: 'Book a table for 4' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const runId = response.headers.get('x-run-id');
    expect(runId).toMatch(/\S/);
    const body = await response.text();
    expect(body).toContain(`id: ${runId}:1\n`);
    expect(body).toContain('book_table');
  });

  it('refuses a body that is not a conversation with a typed 400', async () => {
    const response = await fetch(`${url}api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [] }) });
    expect(response.status).toBe(400);
  });

  it('ends on SIGINT', async () => {
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    expect(child.exitCode === 0 || child.signalCode === 'SIGINT').toBe(true);
  });
});
