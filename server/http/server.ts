/**
 * Puts the app on a socket and takes it off again gracefully: stop accepting,
 * let in-flight requests finish (bounded by a timeout), then cut the rest.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { StartupError } from '../platform/startup-error.ts';

export interface HttpServer {
  url: string;
  port: number;
  close(timeoutMs: number): Promise<void>;
}

export async function listen(fetch: (request: Request) => Response | Promise<Response>, host: string, port: number): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch }) as Server;
  server.keepAliveTimeout = 65_000; // above common load-balancer idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartupError(`Cannot listen on ${host}:${port}: the port is in use.`, 'Set PORT to a free port, or stop the program using it.'));
      else if (err.code === 'EACCES') reject(new StartupError(`Not allowed to listen on ${host}:${port}.`, 'Choose a port above 1023, or run with the needed privileges.'));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartupError(`Cannot listen on ${host}: no such address on this machine.`, 'Check HOST.'));
      else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === '0.0.0.0' ? 'localhost' : shownHost}:${address.port}`,
    port: address.port,
    close: (timeoutMs) => closeGracefully(server, timeoutMs),
  };
}

function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
