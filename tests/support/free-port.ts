import fs from 'node:fs';
import net from 'node:net';

/**
 * A TCP port on loopback that was free a moment ago, for a server a test
 * starts (often in a child process, and sometimes again on the same port).
 *
 * It is drawn from outside the kernel's ephemeral range. A port from
 * `listen(0)` lies inside it, and until the server binds it, any outgoing
 * connection (a Postgres pool, Chromium, an HTTP client of a suite running
 * alongside) may be given it as its local port; the server then fails with
 * EADDRINUSE. Outside that range only another listener can take it.
 */
export async function freePort(): Promise<number> {
  const [low, high] = ephemeralRange();
  const below = low - 1 - FIRST_PORT;
  const above = LAST_PORT - high;
  if (Math.max(below, above) < 1000) return listenOn(0);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = below >= above ? FIRST_PORT + Math.floor(Math.random() * below) : high + 1 + Math.floor(Math.random() * above);
    const bound = await listenOn(port).catch(() => null);
    if (bound !== null) return bound;
  }
  return listenOn(0);
}

/** Above the ports well-known services and embedded tools tend to use. */
const FIRST_PORT = 10_000;
const LAST_PORT = 65_535;

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // Not Linux: the IANA dynamic range.
  }
  return [49_152, 65_535];
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}
