/**
 * A local stand-in for an OpenAI-compatible API, speaking its wire format:
 * bearer auth (401 with OpenAI's error body when wrong), request validation
 * for chat completions, audio speech and image generations (400 like the
 * real API), and real-shaped answers including `usage`. Tests script the
 * answers; the fake records every request so tests can check what was sent.
 */
import http from 'node:http';
import { freePort } from '../support/free-port.ts';

export interface RecordedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A raw answer, for error cases: status, headers and body as sent. */
export interface RawReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Wait this long before answering, for timeout tests. */
  delayMs?: number;
}

export interface FakeOpenAiOptions {
  apiKey: string;
  /** What chat completions answer: the assistant message content (objects are JSON-encoded). */
  chat?: (body: Record<string, unknown>) => unknown;
  /** Usage reported by chat completions. */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** MP3 bytes answered by /v1/audio/speech. */
  speech?: (input: string) => Buffer;
  /** Image bytes answered (base64) by /v1/images/generations. */
  image?: () => Buffer;
}

export interface FakeOpenAi {
  baseUrl: string;
  calls: RecordedCall[];
  /** The next answers, in order, before the scripted defaults apply again. */
  queue: RawReply[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const calls: RecordedCall[] = [];
  const queue: RawReply[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return send(res, { status: 400, body: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null) });
      }
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      calls.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return send(res, { status: 401, body: errorBody('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key') });
      }
      const scripted = queue.shift();
      if (scripted) return send(res, scripted);
      send(res, answer(path, body));
    });
  });

  function answer(path: string, body: Record<string, unknown>): RawReply {
    if (typeof body.model !== 'string' || !body.model) return invalid("you must provide a model parameter");
    if (path === '/v1/chat/completions') {
      const messages = body.messages;
      if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => typeof m?.role === 'string' && typeof m?.content === 'string')) {
        return invalid("'messages' must be a non-empty array of {role, content}");
      }
      const content = options.chat?.(body) ?? {};
      const usage = options.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
      return json({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) }, finish_reason: 'stop' }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
    }
    if (path === '/v1/audio/speech') {
      if (typeof body.input !== 'string' || body.input.length === 0) return invalid("'input' is required");
      if (body.input.length > 4096) return invalid("'input' is too long: 4096 characters at most");
      if (typeof body.voice !== 'string') return invalid("'voice' is required");
      return { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: options.speech?.(body.input) ?? Buffer.alloc(0) };
    }
    if (path === '/v1/images/generations') {
      if (typeof body.prompt !== 'string' || body.prompt.length === 0) return invalid("'prompt' is required");
      const b64 = (options.image?.() ?? Buffer.alloc(0)).toString('base64');
      return json({ created: 1_700_000_000, data: [{ b64_json: b64, revised_prompt: body.prompt }] });
    }
    return { status: 404, body: errorBody(`Invalid URL (POST ${path})`, 'invalid_request_error', null) };
  }

  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    queue,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function send(res: http.ServerResponse, reply: RawReply): void {
  const write = () => {
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body);
  };
  if (reply.delayMs) setTimeout(write, reply.delayMs);
  else write();
}

function json(value: unknown): RawReply {
  return { status: 200, body: JSON.stringify(value) };
}

function invalid(message: string): RawReply {
  return { status: 400, body: errorBody(message, 'invalid_request_error', null) };
}

/** OpenAI's error envelope. */
export function errorBody(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}
