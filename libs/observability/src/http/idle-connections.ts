import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Bounds kept-alive connections by count rather than by a short timer (docs/operations.md "HTTP
 * timeouts"): when more than `max` connections sit idle between requests, the ones idle longest are
 * closed. The keep-alive timeout can then be long (longer than the idle timeout of every client and
 * proxy in front of us, so that they, not we, close an idle connection and never send a request on one
 * we have just closed) without letting idle connections pile up.
 *
 * A connection is idle from the end of its last answer (no request in flight on it) until its next
 * request arrives; the Map keeps them in the order they became idle.
 */
export function capIdleConnections(server: Server, max: number): void {
  const idle = new Map<Socket, true>();
  const inFlight = new WeakMap<Socket, number>();
  server.on('connection', (socket: Socket) => socket.once('close', () => idle.delete(socket)));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    idle.delete(socket);
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('finish', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      // node closes the connection itself after an answer that does not keep it alive.
      if (left > 0 || socket.destroyed || !(response as ServerResponse & { shouldKeepAlive?: boolean }).shouldKeepAlive) return;
      idle.set(socket, true);
      for (const [oldest] of idle) {
        if (idle.size <= max) break;
        idle.delete(oldest);
        oldest.destroy();
      }
    });
  });
}
