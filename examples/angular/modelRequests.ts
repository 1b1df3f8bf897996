/**
 * A `fetch` for the model's client that keeps count of the requests whose response is still being
 * read, so a test can see the model request close after a Stop (the body cancelled or the request
 * aborted) instead of trusting the page.
 */
export class ModelRequests {
  private openCount = 0;
  private started = 0;
  private readonly waiters = new Set<() => void>();

  /** Requests started so far. */
  get total(): number {
    return this.started;
  }

  /** Requests whose response body has not ended, been cancelled or aborted. */
  get open(): number {
    return this.openCount;
  }

  /** Resolves when no request is open (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.openCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** The `fetch` to give the `openai` client. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    this.started += 1;
    this.openCount += 1;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.openCount -= 1;
      if (this.openCount === 0) {
        for (const resolve of this.waiters) resolve();
        this.waiters.clear();
      }
    };
    init?.signal?.addEventListener('abort', close, { once: true });
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      close();
      throw error;
    }
    if (!response.body) {
      close();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            close();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel(reason) {
        close();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
