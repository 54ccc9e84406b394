/**
 * The local data directory (`.talemo/` by default). It holds the embedded
 * Postgres cluster, the generated instance secret and local assets. A marker
 * file tells our directory apart from someone else's, so a mistyped
 * TALEMO_DATA_DIR never has Talemo write into (or initdb over) foreign files.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { StartupError } from './startup-error.ts';

const MARKER = 'talemo.json';
const MARKER_FORMAT = 1;

export interface DataDir {
  root: string;
  /** The embedded Postgres cluster. */
  postgres: string;
  /** Local asset storage. */
  assets: string;
  /** True when this start created the directory. */
  created: boolean;
}

interface Marker {
  format: number;
  createdAt: string;
}

/** Opens the data directory, creating it on first use; refuses foreign or unreadable ones. */
export function openDataDir(root: string): DataDir {
  let created = false;
  let entries: string[];
  try {
    entries = fs.existsSync(root) ? fs.readdirSync(root) : [];
  } catch (err) {
    throw new StartupError(`Cannot read the data directory ${root}: ${(err as Error).message}`, 'Check its permissions or set TALEMO_DATA_DIR to another directory.');
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw new StartupError(`The data directory ${root} is a file, not a directory.`, 'Set TALEMO_DATA_DIR to a directory path.');
  }

  const markerPath = path.join(root, MARKER);
  if (entries.includes(MARKER)) {
    readMarker(markerPath);
  } else if (entries.length > 0) {
    throw new StartupError(
      `${root} is not a Talemo data directory: it is not empty and has no ${MARKER}. Nothing in it was changed.`,
      'Point TALEMO_DATA_DIR at an empty or new directory, or at one Talemo created.',
    );
  } else {
    fs.mkdirSync(root, { recursive: true, mode: 0o755 });
    const marker: Marker = { format: MARKER_FORMAT, createdAt: new Date().toISOString() };
    fs.writeFileSync(markerPath, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o644 });
    created = true;
  }

  return { root, postgres: path.join(root, 'postgres'), assets: path.join(root, 'assets'), created };
}

function readMarker(markerPath: string): Marker {
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(fs.readFileSync(markerPath, 'utf8')) as Partial<Marker>;
  } catch (err) {
    throw new StartupError(`The data directory marker ${markerPath} is unreadable or corrupt: ${(err as Error).message}. Nothing was changed.`, 'Restore it from a backup, or start with a fresh TALEMO_DATA_DIR.');
  }
  if (marker.format !== MARKER_FORMAT) {
    throw new StartupError(`The data directory at ${path.dirname(markerPath)} has format ${String(marker.format)}, but this Talemo understands format ${MARKER_FORMAT}. Nothing was changed.`);
  }
  return marker as Marker;
}

/**
 * The instance secret: TALEMO_SECRET when set, otherwise one generated on the
 * first start and kept (mode 0600) in the data directory.
 */
export function loadOrCreateSecret(dir: DataDir, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dir.root, 'secret');
  if (fs.existsSync(file)) {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value.length < 32) {
      throw new StartupError(`The secret in ${file} is shorter than 32 characters; it looks damaged. Nothing was changed.`, 'Restore it, or set TALEMO_SECRET.');
    }
    return value;
  }
  const value = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/** The instance secret as the running platform holds it: TALEMO_SECRET, or the data directory's. */
export function instanceSecret(config: Config): string {
  return config.secret ?? loadOrCreateSecret(openDataDir(config.dataDir), undefined);
}

/**
 * The instance secret for a process that runs beside the platform (`npm run
 * sync`, `npm run worker`): TALEMO_SECRET, or the secret file an earlier
 * `npm start` left in the data directory. Never created here.
 */
export function existingInstanceSecret(config: Config): string | undefined {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}
