import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 (port 0) that records every request's path and answers with `handler`. */
export class ScriptedServer {
  /** `request.url` of every request received, in order. */
  readonly paths: string[] = [];
  handler: ScriptedHandler = (_request, response) => void response.writeHead(404).end();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const scripted = new ScriptedServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      scripted.paths.push(request.url ?? '');
      scripted.handler(request, response);
    });
    return scripted;
  }

  /** Answers `body` as JSON with `status` (200) to every request. */
  answerJson(body: unknown, status = 200, headers: Record<string, string> = {}): void {
    this.handler = (_request, response) => void response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.paths.filter((path) => path.startsWith(prefix)).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
