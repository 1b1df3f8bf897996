import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SseEndpoint } from '../../../src/node/sseEndpoint.js';

/** A loopback server around an endpoint; `close()` shuts the endpoint down and destroys every socket. */
export interface EndpointServer {
  /** `http://127.0.0.1:<port>/chat` */
  readonly url: string;
  readonly server: Server;
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/** Serves `endpoint` under `/chat` on 127.0.0.1 and a free port (other paths get a 404). */
export async function startEndpointServer(endpoint: SseEndpoint): Promise<EndpointServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    if (!request.url?.startsWith('/chat')) {
      response.writeHead(404).end();
      return;
    }
    void endpoint(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chat`,
    server,
    sockets,
    close: async () => {
      await endpoint.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
