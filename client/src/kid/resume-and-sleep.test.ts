/**
 * The kid player resumes from the furthest point listened, read from the
 * device's own listening_events (a real device PGlite with its triggers, as
 * the tablet has), and its sleep timer steps through 10, 20, 30 minutes and
 * fires once when the time is up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindViewer } from '../../../sync/device/device-meta.ts';
import { openDeviceDatabase, type DeviceDatabase } from '../../../sync/device/device-database.ts';
import { recordListening, resumePosition } from '../audio/listening-recorder.ts';
import type { Replica } from '../db/replica.ts';
import { SLEEP_STEPS, SleepTimer } from './sleep-timer.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talemo-resume-'));
const kid = { userId: '33333333-3333-4333-8333-333333333333', tenantId: '11111111-1111-4111-8111-111111111111', kind: 'kid' as const, displayName: 'Lou' };
const story = '44444444-4444-4444-8444-444444444444';
const other = '55555555-5555-4555-8555-555555555555';
let pg: DeviceDatabase;
/** The player's API is typed for the browser's PGliteWorker; the queries are the same. */
const replica = () => pg as unknown as Replica;

beforeAll(async () => {
  pg = await openDeviceDatabase(dir);
  await bindViewer(pg, kid);
}, 60_000);

afterAll(async () => {
  await pg?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe('resume', () => {
  it('starts a story never played at the beginning', async () => {
    expect(await resumePosition(replica(), story, kid.userId, 300)).toBe(0);
  });

  it('resumes from the furthest position, not the last one (a seek back does not lose the place)', async () => {
    await recordListening(replica(), story, 'start', 0, at(30));
    await recordListening(replica(), story, 'progress', 95.5, at(28));
    await recordListening(replica(), story, 'seek', 12, at(27));
    await recordListening(replica(), story, 'pause', 20, at(26));
    await recordListening(replica(), other, 'progress', 250, at(25));
    expect(await resumePosition(replica(), story, kid.userId, 300)).toBe(95.5);
  });

  it('starts over after the story was finished, then follows the new listening', async () => {
    await recordListening(replica(), story, 'complete', 300, at(20));
    expect(await resumePosition(replica(), story, kid.userId, 300)).toBe(0);
    await recordListening(replica(), story, 'progress', 40, at(10));
    expect(await resumePosition(replica(), story, kid.userId, 300)).toBe(40);
  });

  it('starts over when the furthest point is the very end', async () => {
    await recordListening(replica(), other, 'progress', 298, at(5));
    expect(await resumePosition(replica(), other, kid.userId, 300)).toBe(0);
    expect(await resumePosition(replica(), other, kid.userId, null)).toBe(298);
  });

  it('queued each event for the server, as the kid', async () => {
    const queued = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE mutation_type = 'listening_event.insert'`);
    expect(queued.rows[0]!.n).toBe(8);
    const owners = await pg.query<{ user_id: string }>(`SELECT DISTINCT user_id FROM listening_events`);
    expect(owners.rows).toEqual([{ user_id: kid.userId }]);
  });
});

describe('sleep timer', () => {
  it('steps off → 10 → 20 → 30 → off, each counted from the tap', () => {
    const timer = new SleepTimer();
    const seen: Array<[number, number | null]> = [];
    for (let tap = 1; tap <= SLEEP_STEPS.length; tap++) {
      timer.cycle(tap * 1000);
      seen.push([timer.minutes, timer.endsAt]);
    }
    expect(seen).toEqual([
      [10, 1000 + 10 * 60_000],
      [20, 2000 + 20 * 60_000],
      [30, 3000 + 30 * 60_000],
      [0, null],
    ]);
  });

  it('is due once, when the time is up, and is off afterwards', () => {
    const timer = new SleepTimer();
    timer.cycle(0);
    expect(timer.takeDue(10 * 60_000 - 1)).toBe(false);
    expect(timer.takeDue(10 * 60_000)).toBe(true);
    expect(timer.takeDue(10 * 60_000 + 1)).toBe(false);
    expect([timer.minutes, timer.endsAt]).toEqual([0, null]);
  });
});
