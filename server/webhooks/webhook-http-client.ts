/**
 * Sends one webhook POST. Uses node:http(s) rather than fetch so the socket's
 * DNS lookup can be vetted (destination-safety.ts) in production. Redirects
 * are not followed: a 3xx is a failed attempt, since following it could lead
 * anywhere, including a private address.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { UnsafeDestinationError, isPublicAddress, safeLookup } from './destination-safety.ts';

export interface PostResult {
  status: number;
  /** The first 2,000 characters of the response body, for the delivery record. */
  excerpt: string;
  durationMs: number;
}

export interface PostOptions {
  timeoutMs: number;
  /** Refuse loopback, private and reserved addresses (production). */
  publicOnly: boolean;
}

const EXCERPT_CHARS = 2000;

/** POSTs `body`; resolves with any HTTP answer, rejects on network errors, timeouts and refused destinations. */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (options.publicOnly && net.isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(new UnsafeDestinationError(`${host} is a loopback, private or reserved address.`));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        lookup: options.publicOnly ? safeLookup : undefined,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_CHARS * 4) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS),
            durationMs: Math.round(performance.now() - started),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
