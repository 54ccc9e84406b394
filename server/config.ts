/**
 * The one place that reads `process.env`. Every setting is validated at boot;
 * a bad environment fails with the full list of bad variables, not the first.
 * README.md lists every variable with its default — keep the two in step.
 */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url('must be a URL')
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    })
    .optional();

/** A price in US dollars; absent means "use the built-in table for the model". */
const usd = z.coerce.number({ message: 'must be a number of US dollars' }).min(0, 'must not be negative').optional();

/** A whole number of at least `min`, for limits and durations. */
const count = (min: number, max: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** An OpenID issuer: HTTPS, or plain HTTP on loopback only (a local fake provider in tests). */
const oidcIssuer = z
  .string()
  .url('must be a URL')
  .refine((v) => v.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(v), {
    message: 'must start with https:// (plain http is allowed only on 127.0.0.1 or localhost)',
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'must be development, production or test' }).default('development'),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  TALEMO_DATA_DIR: z.string().min(1, 'must not be empty').default('.talemo'),
  TALEMO_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  TALEMO_PG_PORT: port.default(54320),
  TALEMO_DB_POOL_MAX: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(10),
  TALEMO_SEED_DEMO: flag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().url('each origin must be a URL like https://app.example.com'))),
  MAX_JSON_BODY_BYTES: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1024, 'must be at least 1024').default(1_048_576),
  TRUST_PROXY: flag.default(false),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  TALEMO_WORKER: z.enum(['in-process', 'off'], { message: 'must be in-process or off' }).default('in-process'),
  WORKER_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(2),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').default(10_000),
  // The embedded shape service (sync/service): in-process when ELECTRIC_URL is unset, or standalone with `npm run sync`.
  ELECTRIC_URL: optionalUrl(['http', 'https']),
  SYNC_HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  SYNC_PORT: port.default(0),
  SYNC_SLOT: z.string().regex(/^[a-z0-9_]{1,63}$/, 'must be 1-63 lowercase letters, digits or underscores').optional(),
  SYNC_PUBLICATION: z.string().min(1, 'must not be empty').default('talemo_sync'),
  SYNC_DATA_DIR: z.string().min(1, 'must not be empty').optional(),
  SYNC_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SYNC_REPLICATION_URL: optionalUrl(['postgres', 'postgresql']),
  SYNC_LONG_POLL_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1000, 'must be at least 1000').max(40_000, 'must be at most 40000 (the client gives up at 45 s)').default(20_000),
  // Providers: each OpenAI-compatible endpoint is used when its *_BASE_URL is
  // set; otherwise the worker uses the offline default (espeak-ng, generated
  // covers, heuristics), which needs no network and no key.
  LLM_BASE_URL: optionalUrl(['http', 'https']),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1, 'must not be empty').default('gpt-4o-mini'),
  LLM_INPUT_USD_PER_MTOK: usd,
  LLM_OUTPUT_USD_PER_MTOK: usd,
  TTS_BASE_URL: optionalUrl(['http', 'https']),
  TTS_API_KEY: z.string().optional(),
  TTS_MODEL: z.string().min(1, 'must not be empty').default('tts-1'),
  TTS_VOICE: z.string().min(1, 'must not be empty').default('alloy'),
  TTS_USD_PER_MCHARS: usd,
  IMAGE_BASE_URL: optionalUrl(['http', 'https']),
  IMAGE_API_KEY: z.string().optional(),
  IMAGE_MODEL: z.string().min(1, 'must not be empty').default('dall-e-3'),
  IMAGE_USD_PER_IMAGE: usd,
  PROVIDER_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1000, 'must be at least 1000').default(120_000),
  // Assets: S3-compatible storage when S3_BUCKET is set, else the data directory.
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)').optional(),
  S3_ENDPOINT: optionalUrl(['http', 'https']),
  S3_REGION: z.string().min(1, 'must not be empty').default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  // Platform operator: cross-tenant statistics at /operator/stats, behind a
  // token and a connection that can run platform_stats() (never the app role).
  PLATFORM_OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  OPERATOR_DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  // Outgoing webhooks: attempts per event and the exponential backoff between them.
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').default(6),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(100, 'must be at least 100').default(10_000),
  // Incoming subscription-status webhooks from the payment provider (Stripe's signing scheme).
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(3600, 'must be at most 3600').default(300),
  /** How long a signed asset download URL stays valid. */
  ASSET_URL_TTL_SECONDS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(10, 'must be at least 10').max(86_400, 'must be at most 86400').default(300),
  // Sign-in with Google and Apple. A provider is offered when it is fully
  // configured; *_ISSUER exists so tests can point at a local fake provider.
  GOOGLE_CLIENT_ID: z.string().min(1, 'must not be empty').optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1, 'must not be empty').optional(),
  GOOGLE_ISSUER: oidcIssuer.default('https://accounts.google.com'),
  APPLE_CLIENT_ID: z.string().min(1, 'must not be empty').optional(),
  // Either a ready-made client secret (a JWT you sign yourself), or the team,
  // key id and .p8 private key so the server signs one.
  APPLE_CLIENT_SECRET: z.string().min(1, 'must not be empty').optional(),
  APPLE_TEAM_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character Apple team id').optional(),
  APPLE_KEY_ID: z.string().regex(/^[A-Z0-9]{10}$/, 'must be the 10-character key id of the Sign in with Apple key').optional(),
  APPLE_PRIVATE_KEY: z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n').trim())
    .refine((v) => /^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----$/.test(v), { message: 'must be the PEM text of the .p8 key (-----BEGIN PRIVATE KEY----- …)' })
    .optional(),
  APPLE_ISSUER: oidcIssuer.default('https://appleid.apple.com'),
  // Abuse limits on the sign-in endpoints (counted in Postgres, so shared by every server).
  AUTH_IP_LIMIT: count(1, 1_000_000).default(30),
  AUTH_IP_WINDOW_SECONDS: count(1, 86_400).default(60),
  AUTH_ACCOUNT_LIMIT: count(1, 1_000_000).default(10),
  AUTH_ACCOUNT_WINDOW_SECONDS: count(1, 86_400).default(900),
  AUTH_LOCKOUT_THRESHOLD: count(1, 1000).default(5),
  AUTH_LOCKOUT_SECONDS: count(1, 86_400 * 30).default(900),
  INVITATION_TTL_HOURS: count(1, 720).default(168),
  PAIRING_CODE_TTL_SECONDS: count(60, 3600).default(600),
}).superRefine((e, ctx) => {
  for (const p of ['LLM', 'TTS', 'IMAGE'] as const) {
    if (e[`${p}_API_KEY`] && !e[`${p}_BASE_URL`]) {
      ctx.addIssue({ code: 'custom', path: [`${p}_API_KEY`], message: `is set but ${p}_BASE_URL is not; set ${p}_BASE_URL (e.g. https://api.openai.com) to use a remote endpoint, or unset the key` });
    }
  }
  if (Boolean(e.S3_ACCESS_KEY_ID) !== Boolean(e.S3_SECRET_ACCESS_KEY)) {
    const missing = e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set together with the other S3 key, or both left unset to use the default AWS credential chain' });
  }
  if (!e.S3_BUCKET) {
    for (const name of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID'] as const) {
      if (e[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is set but S3_BUCKET is not; set S3_BUCKET to store assets in S3' });
    }
  }
  // Run even when a field failed, so one boot reports every problem; these
  // checks only look at which variables are present.
}, { when: () => true }).superRefine(checkSignInProviders, { when: () => true });

/** Each sign-in provider is configured completely or not at all. */
function checkSignInProviders(e: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (Boolean(e.GOOGLE_CLIENT_ID) !== Boolean(e.GOOGLE_CLIENT_SECRET)) {
    const missing = e.GOOGLE_CLIENT_ID ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set together with the other Google variable, or both left unset to turn Google sign-in off' });
  }
  const signing = ['APPLE_TEAM_ID', 'APPLE_KEY_ID', 'APPLE_PRIVATE_KEY'] as const;
  const someSigning = signing.some((k) => e[k]);
  if (someSigning && !e.APPLE_CLIENT_SECRET) {
    for (const k of signing) if (!e[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'must be set together with APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY' });
  }
  if ((someSigning || e.APPLE_CLIENT_SECRET) && !e.APPLE_CLIENT_ID) {
    ctx.addIssue({ code: 'custom', path: ['APPLE_CLIENT_ID'], message: 'must be set (your Services ID) when other APPLE_* variables are' });
  }
  if (e.APPLE_CLIENT_ID && !someSigning && !e.APPLE_CLIENT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['APPLE_CLIENT_SECRET'], message: 'is needed with APPLE_CLIENT_ID: set it, or set APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY' });
  }
}

export type Env = z.infer<typeof envSchema>;

export interface SyncConfig {
  host: string;
  /** 0 picks a free port (fine in-process; the server learns it). */
  port: number;
  /** Unset: `talemo_sync_<database>`, since slots are per cluster and several databases may share one. */
  slot: string | undefined;
  publication: string;
  /** Shape logs and the replication checkpoint. */
  dataDir: string;
  /** From SYNC_SECRET; when absent it is derived from the instance secret. */
  secret: string | undefined;
  /** From SYNC_REPLICATION_URL; when absent the replication role's URL is derived. */
  replicationUrl: string | undefined;
  longPollMs: number;
}

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  /** The origin browsers use to reach the server; drives cookie flags and links. */
  publicUrl: string;
  /** Absolute path of the local data directory. */
  dataDir: string;
  /** From TALEMO_SECRET; when absent the data directory supplies one. */
  secret: string | undefined;
  /** An external Postgres; when absent, Talemo runs its embedded one. */
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  dbPoolMax: number;
  seedDemo: boolean;
  logLevel: Env['LOG_LEVEL'];
  corsOrigins: string[];
  maxJsonBodyBytes: number;
  /** Believe X-Forwarded-For (only behind our own load balancer). */
  trustProxy: boolean;
  /** When set, /metrics requires it as a bearer token. */
  metricsToken: string | undefined;
  shutdownTimeoutMs: number;
  /** A real Electric service behind the shape proxy; when absent the embedded one runs. */
  electricUrl: string | undefined;
  /** The embedded shape service (sync/service). */
  sync: SyncConfig;
  /** BullMQ on Redis when set; otherwise BullMQ's PostgreSQL backend in the same database. */
  redisUrl: string | undefined;
  /** Whether `npm start` also runs the agent worker. */
  workerInProcess: boolean;
  workerConcurrency: number;
  /** The worker's providers; a null endpoint means the offline default. */
  providers: ProvidersConfig;
  /** Where assets live. */
  storage: StorageConfig;
  /** Sign-in providers and abuse limits. */
  auth: AuthConfig;
  /** The platform operator's path; both unset means it is off. */
  operator: { token: string | undefined; databaseUrl: string | undefined };
  webhooks: WebhooksConfig;
  assetUrlTtlSeconds: number;
}

/** An OpenAI-compatible HTTP endpoint. */
export interface RemoteEndpoint {
  /** Origin (and optional path prefix) before `/v1/…`; a trailing `/v1` is tolerated. */
  baseUrl: string;
  /** Sent as a bearer token; absent for local servers that need none. */
  apiKey: string | undefined;
  model: string;
}

export interface ProvidersConfig {
  llm: (RemoteEndpoint & { inputUsdPerMTok: number | undefined; outputUsdPerMTok: number | undefined }) | null;
  speech: (RemoteEndpoint & { voice: string; usdPerMChars: number | undefined }) | null;
  image: (RemoteEndpoint & { usdPerImage: number | undefined }) | null;
  /** Per remote call. */
  timeoutMs: number;
}

export type StorageConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** Absent means AWS itself. */
      endpoint: string | undefined;
      region: string;
      /** Absent means the default AWS credential chain (env, profile, instance role). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      forcePathStyle: boolean;
    };

export interface WebhooksConfig {
  /** Attempts per event and endpoint, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles it (capped at an hour). */
  retryBaseMs: number;
  timeoutMs: number;
  /** Verifies incoming subscription-status webhooks; unset means the endpoint answers 503. */
  paymentSecret: string | undefined;
  /** Oldest signed timestamp accepted on an incoming webhook, against replays. */
  paymentToleranceSeconds: number;
}

/** An OpenID Connect provider the server signs people in with. */
export interface OidcProviderConfig {
  issuer: string;
  clientId: string;
  /** Google: the client secret. Apple: a fixed client secret, or how to sign one. */
  clientSecret: string | { teamId: string; keyId: string; privateKeyPem: string };
}

export interface AuthConfig {
  google: OidcProviderConfig | null;
  apple: OidcProviderConfig | null;
  /** Requests per IP to the sign-in endpoints, per window. */
  ipLimit: { limit: number; windowSeconds: number };
  /** Sign-in attempts per account (email), per window. */
  accountLimit: { limit: number; windowSeconds: number };
  /** Consecutive failed passwords before the account locks, and for how long. */
  lockout: { threshold: number; seconds: number };
  invitationTtlHours: number;
  pairingCodeTtlSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into a typed config, or throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // Empty strings mean "unset", as they do for most shells and compose files.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const raw = present[name];
      const shown = raw === undefined ? '' : ` (got ${JSON.stringify(/SECRET|TOKEN|URL|KEY/.test(name) ? '…' : raw)})`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(cwd, e.TALEMO_DATA_DIR),
    secret: e.TALEMO_SECRET,
    databaseUrl: e.DATABASE_URL,
    embeddedPgPort: e.TALEMO_PG_PORT,
    dbPoolMax: e.TALEMO_DB_POOL_MAX,
    seedDemo: e.TALEMO_SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    maxJsonBodyBytes: e.MAX_JSON_BODY_BYTES,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    electricUrl: e.ELECTRIC_URL,
    sync: {
      host: e.SYNC_HOST,
      port: e.SYNC_PORT,
      slot: e.SYNC_SLOT,
      publication: e.SYNC_PUBLICATION,
      dataDir: e.SYNC_DATA_DIR ? path.resolve(cwd, e.SYNC_DATA_DIR) : path.join(path.resolve(cwd, e.TALEMO_DATA_DIR), 'sync'),
      secret: e.SYNC_SECRET,
      replicationUrl: e.SYNC_REPLICATION_URL,
      longPollMs: e.SYNC_LONG_POLL_MS,
    },
    redisUrl: e.REDIS_URL,
    workerInProcess: e.TALEMO_WORKER === 'in-process',
    workerConcurrency: e.WORKER_CONCURRENCY,
    providers: providersFrom(e),
    storage: storageFrom(e, path.resolve(cwd, e.TALEMO_DATA_DIR)),
    auth: authFrom(e),
    operator: { token: e.PLATFORM_OPERATOR_TOKEN, databaseUrl: e.OPERATOR_DATABASE_URL },
    webhooks: {
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      paymentSecret: e.PAYMENT_WEBHOOK_SECRET,
      paymentToleranceSeconds: e.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
    },
    assetUrlTtlSeconds: e.ASSET_URL_TTL_SECONDS,
  };
}

function providersFrom(e: Env): ProvidersConfig {
  return {
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL, inputUsdPerMTok: e.LLM_INPUT_USD_PER_MTOK, outputUsdPerMTok: e.LLM_OUTPUT_USD_PER_MTOK }
      : null,
    speech: e.TTS_BASE_URL ? { baseUrl: e.TTS_BASE_URL, apiKey: e.TTS_API_KEY, model: e.TTS_MODEL, voice: e.TTS_VOICE, usdPerMChars: e.TTS_USD_PER_MCHARS } : null,
    image: e.IMAGE_BASE_URL ? { baseUrl: e.IMAGE_BASE_URL, apiKey: e.IMAGE_API_KEY, model: e.IMAGE_MODEL, usdPerImage: e.IMAGE_USD_PER_IMAGE } : null,
    timeoutMs: e.PROVIDER_TIMEOUT_MS,
  };
}

function storageFrom(e: Env, dataDir: string): StorageConfig {
  if (!e.S3_BUCKET) return { kind: 'local', root: path.join(dataDir, 'assets') };
  return {
    kind: 's3',
    bucket: e.S3_BUCKET,
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
}

function authFrom(e: Env): AuthConfig {
  const apple = (): OidcProviderConfig | null => {
    if (!e.APPLE_CLIENT_ID) return null;
    const clientSecret =
      e.APPLE_TEAM_ID && e.APPLE_KEY_ID && e.APPLE_PRIVATE_KEY
        ? { teamId: e.APPLE_TEAM_ID, keyId: e.APPLE_KEY_ID, privateKeyPem: e.APPLE_PRIVATE_KEY }
        : e.APPLE_CLIENT_SECRET;
    return clientSecret ? { issuer: e.APPLE_ISSUER, clientId: e.APPLE_CLIENT_ID, clientSecret } : null;
  };
  return {
    google: e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET ? { issuer: e.GOOGLE_ISSUER, clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET } : null,
    apple: apple(),
    ipLimit: { limit: e.AUTH_IP_LIMIT, windowSeconds: e.AUTH_IP_WINDOW_SECONDS },
    accountLimit: { limit: e.AUTH_ACCOUNT_LIMIT, windowSeconds: e.AUTH_ACCOUNT_WINDOW_SECONDS },
    lockout: { threshold: e.AUTH_LOCKOUT_THRESHOLD, seconds: e.AUTH_LOCKOUT_SECONDS },
    invitationTtlHours: e.INVITATION_TTL_HOURS,
    pairingCodeTtlSeconds: e.PAIRING_CODE_TTL_SECONDS,
  };
}
