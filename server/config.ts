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
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').default(10_000),
});

export type Env = z.infer<typeof envSchema>;

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
      const shown = raw === undefined ? '' : ` (got ${JSON.stringify(/SECRET|TOKEN|URL/.test(name) ? '…' : raw)})`;
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
  };
}
