/**
 * A local stand-in for S3 that speaks enough of the REST API for the asset
 * store: PutObject, GetObject (with Range), HeadObject, DeleteObject and
 * ListObjectsV2 (XML, paginated), path-style only. It verifies each request's
 * AWS Signature Version 4 in full (canonical request, scope, HMAC chain and
 * payload hash), so a client that signs wrongly, or with the wrong secret,
 * gets the same 403 SignatureDoesNotMatch real S3 sends.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { freePort } from '../support/free-port.ts';

interface StoredObject {
  body: Buffer;
  contentType: string;
  lastModified: Date;
  etag: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The signature checked out. */
  signed: boolean;
}

export interface FakeS3Options {
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Small pages exercise continuation tokens. */
  maxKeysPerPage?: number;
}

export interface FakeS3 {
  endpoint: string;
  objects: Map<string, StoredObject>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects = new Map<string, StoredObject>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, Buffer.concat(chunks), res);
      } catch (err) {
        sendError(res, 500, 'InternalError', (err as Error).message);
      }
    });
  });

  function handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const query = Object.fromEntries(url.searchParams.entries());
    const verdict = verifySigV4(req, url, body, options);
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, signed: verdict === null });
    if (verdict) return sendError(res, 403, verdict.code, verdict.message, req.method === 'HEAD');

    const [, bucket, ...rest] = url.pathname.split('/');
    if (bucket !== options.bucket) return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', req.method === 'HEAD');
    const key = decodeURIComponent(rest.join('/'));

    if (req.method === 'GET' && key === '' && query['list-type'] === '2') return listObjects(res, query);
    if (req.method === 'PUT' && key) {
      if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
        return sendError(res, 501, 'NotImplemented', 'aws-chunked uploads are not supported by this fake');
      }
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), lastModified: new Date(), etag });
      res.writeHead(200, { ETag: etag }).end();
      return;
    }
    const object = objects.get(key);
    if (req.method === 'DELETE' && key) {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      if (!object) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', req.method === 'HEAD');
      return getObject(req, res, object);
    }
    sendError(res, 405, 'MethodNotAllowed', `${req.method} ${url.pathname} is not supported by this fake`);
  }

  function getObject(req: http.IncomingMessage, res: http.ServerResponse, object: StoredObject): void {
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': object.contentType,
      ETag: object.etag,
      'Last-Modified': object.lastModified.toUTCString(),
      'Accept-Ranges': 'bytes',
    };
    const size = object.body.length;
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (req.headers.range && range) {
      const [, a, b] = range as unknown as [string, string, string];
      const start = a === '' ? Math.max(0, size - Number(b)) : Number(a);
      const end = a === '' || b === '' ? size - 1 : Math.min(Number(b), size - 1);
      if (start >= size || (a === '' && Number(b) === 0)) {
        return sendError(res, 416, 'InvalidRange', 'The requested range is not satisfiable', req.method === 'HEAD');
      }
      const slice = object.body.subarray(start, end + 1);
      res.writeHead(206, { ...headers, 'Content-Length': slice.length, 'Content-Range': `bytes ${start}-${end}/${size}` });
      res.end(req.method === 'HEAD' ? undefined : slice);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': size });
    res.end(req.method === 'HEAD' ? undefined : object.body);
  }

  function listObjects(res: http.ServerResponse, query: Record<string, string>): void {
    const prefix = query.prefix ?? '';
    const pageSize = Math.min(Number(query['max-keys'] ?? 1000), options.maxKeysPerPage ?? 1000);
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const after = query['continuation-token'] ? Buffer.from(query['continuation-token'], 'base64url').toString() : '';
    const remaining = keys.filter((k) => k > after);
    const page = remaining.slice(0, pageSize);
    const truncated = remaining.length > page.length;
    const contents = page
      .map((k) => {
        const o = objects.get(k)!;
        return `<Contents><Key>${xml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>` : '';
    const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${options.bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
    res.writeHead(200, { 'Content-Type': 'application/xml' }).end(doc);
  }

  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string, headOnly = false): void {
  const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(headOnly ? undefined : doc);
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** SigV4 as documented for S3 ("Authenticating Requests: Using the Authorization Header"); null when valid. */
function verifySigV4(req: http.IncomingMessage, url: URL, body: Buffer, options: FakeS3Options): { code: string; message: string } | null {
  const auth = String(req.headers.authorization ?? '');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!match) return { code: 'AccessDenied', message: 'Missing or non-SigV4 Authorization header' };
  const [, accessKeyId, date, region, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  if (accessKeyId !== options.accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (region !== options.region) return { code: 'AuthorizationHeaderMalformed', message: `the region '${region}' is wrong; expecting '${options.region}'` };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return { code: 'AccessDenied', message: 'x-amz-date does not match the credential scope' };
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (!payloadHash) return { code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) {
    return { code: 'XAmzContentSHA256Mismatch', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return { code: 'AccessDenied', message: 'host and x-amz-date must be signed' };
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(req, n)}\n`).join('');
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalPath = url.pathname.split('/').map((s) => rfc3986(decodeURIComponent(s))).join('/');
  const canonicalRequest = [req.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${options.secretAccessKey}`, date);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return null;
}

function headerValue(req: http.IncomingMessage, name: string): string {
  const raw = req.headers[name];
  const value = Array.isArray(raw) ? raw.join(',') : String(raw ?? '');
  return value.trim().replace(/\s+/g, ' ');
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
