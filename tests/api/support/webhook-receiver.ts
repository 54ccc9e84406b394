/**
 * A real HTTP server on loopback that receives webhook deliveries, keeps
 * each request's headers and raw body, and answers with a scripted status
 * (e.g. fail twice, then succeed).
 */
import http from 'node:http';
import { freePort } from '../../support/free-port.ts';

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Statuses to answer with, in order; the last one repeats. */
  script(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/talemo-hook'): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let statuses = [200];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is down');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    script(next) {
      statuses = [...next];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
