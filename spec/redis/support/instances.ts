import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { InstanceReport } from './instance.js';

/** A server instance in a child process (see `instance.ts`), and what it reported. */
export interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
  readonly reports: InstanceReport[];
  /** Resolves with the first report (so far or to come) that `match` accepts. */
  next(match: (report: InstanceReport) => boolean, timeoutMs?: number): Promise<InstanceReport>;
  /** Ends the process with SIGKILL: no cleanup, no end marker, its lease left to lapse. */
  kill(): Promise<void>;
  /** Closes the endpoint, the server and its Redis client, and waits for the process to exit. */
  close(): Promise<void>;
}

/** Starts an instance over the Redis of `REDIS_URL` with keys under `prefix`. */
export async function startInstance(prefix: string, env: { leaseMs?: number; ttlMs?: number } = {}): Promise<Instance> {
  const child = fork(join(__dirname, 'instance.ts'), [], {
    execArgv: ['-r', 'ts-node/register'],
    cwd: join(__dirname, '../../..'),
    env: {
      ...process.env,
      RXLLM_PREFIX: prefix,
      ...(env.leaseMs !== undefined && { RXLLM_LEASE_MS: String(env.leaseMs) }),
      ...(env.ttlMs !== undefined && { RXLLM_TTL_MS: String(env.ttlMs) }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: InstanceReport[] = [];
  const waiters = new Set<() => void>();
  child.on('message', (report: InstanceReport) => {
    reports.push(report);
    for (const waiter of [...waiters]) waiter();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (match: (report: InstanceReport) => boolean, timeoutMs = 20_000) => new Promise<InstanceReport>((resolve, reject) => {
    const check = () => {
      const found = reports.find(match);
      if (!found) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(found);
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`No matching report from instance ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
  const listening = await next((report) => report.type === 'listening');
  return {
    url: (listening as { url: string }).url,
    child,
    reports,
    next,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null && child.connected) {
        child.send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}
