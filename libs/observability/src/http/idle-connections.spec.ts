import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { capIdleConnections } from './idle-connections.js';

/** One raw keep-alive connection; `ask` sends a GET and resolves once the whole answer is in. */
async function openConnection(port: number): Promise<{ socket: Socket; closed: Promise<void>; ask: () => Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const ask = () =>
    new Promise<void>((resolve) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (text.endsWith('ok')) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
  return { socket, closed, ask };
}

describe('capIdleConnections', () => {
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((_request, response) => void response.end('ok'));
    server.keepAliveTimeout = 60_000;
    capIdleConnections(server, 4);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps at most 4 connections idle, closing the ones idle longest; a reused one counts as fresh', async () => {
    const connections = await Promise.all(Array.from({ length: 7 }, () => openConnection(port)));
    const closed = connections.map(() => false);
    connections.forEach((connection, i) => void connection.closed.then(() => (closed[i] = true)));
    for (const connection of connections.slice(0, 4)) await connection.ask();
    await connections[0].ask(); // 0 is now the most recently idle: 1 is the longest idle
    for (const connection of connections.slice(4)) await connection.ask();
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Idle order: 1, 2, 3, 0, then 4, 5 and 6 each push the longest-idle out: 1, 2, 3 closed, 0 kept.
    expect(closed).toEqual([false, true, true, true, false, false, false]);
    for (const connection of connections) connection.socket.destroy();
  });

  it('never closes a connection while a request is in flight on it, however many are open', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    server.removeAllListeners('request');
    capIdleConnections(server, 1);
    server.on('request', (_request, response) => void held.then(() => response.end('ok')));
    const connections = await Promise.all(Array.from({ length: 6 }, () => openConnection(port)));
    const answers = connections.map((connection) => connection.ask());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections.every((connection) => !connection.socket.destroyed)).toBe(true);
    release();
    await Promise.all(answers);
    for (const connection of connections) connection.socket.destroy();
  });
});
