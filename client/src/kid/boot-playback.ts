/**
 * A story started on the boot screen, before the replica opened, and the
 * listening events it produced meanwhile.
 *
 * - The playback is handed to the app, which keeps it playing (KidPlayer
 *   adopts it) and points its events at the replica.
 * - Its events wait in localStorage (they must survive the tab closing
 *   before the replica opens) and are written to `listening_events`, with
 *   the time they happened, as soon as the replica is there.
 */
import { recordListening, type ListeningKind, type ListeningSink } from '../audio/listening-recorder.ts';
import type { Replica } from '../db/replica.ts';
import type { KidPlayback } from './kid-playback.ts';

interface QueuedEvent {
  user_id: string;
  story_id: string;
  kind: ListeningKind;
  position_seconds: number;
  occurred_at: string;
}

const QUEUE_KEY = 'talemo.kid-listening-queue.v1';
let running: KidPlayback | null = null;

export function setBootPlayback(playback: KidPlayback | null): void {
  running = playback;
}

/** The story playing since the boot screen, if any (the app opens on its player). */
export function peekBootPlayback(): KidPlayback | null {
  return running;
}

/** Hands the playback of `storyId` over to its new owner. */
export function takeBootPlayback(storyId: string): KidPlayback | null {
  if (running?.story.id !== storyId) return null;
  const p = running;
  running = null;
  return p;
}

/** Nobody will adopt it (the session ended, another person signed in): stop it. */
export function discardBootPlayback(): void {
  running?.stop();
  running = null;
}

function readQueue(): QueuedEvent[] {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '[]') as QueuedEvent[];
  } catch {
    return [];
  }
}

function writeQueue(events: QueuedEvent[]): void {
  try {
    if (events.length === 0) localStorage.removeItem(QUEUE_KEY);
    else localStorage.setItem(QUEUE_KEY, JSON.stringify(events));
  } catch {
    // Storage full or disabled: the events are lost, playback goes on.
  }
}

/** Events of `userId` kept until the replica opens; `onRecord` sees each one (daily minutes). */
export function queueSink(userId: string, onRecord?: (kind: ListeningKind) => void): ListeningSink {
  return {
    record(storyId, kind, positionSeconds) {
      writeQueue([...readQueue(), { user_id: userId, story_id: storyId, kind, position_seconds: positionSeconds, occurred_at: new Date().toISOString() }]);
      onRecord?.(kind);
    },
  };
}

/** The queued events of `userId`, of one story or all (resume and daily minutes within the boot session). */
export function queuedEvents(userId: string, storyId: string | null): Array<Pick<QueuedEvent, 'kind' | 'position_seconds' | 'occurred_at'>> {
  return readQueue().filter((e) => e.user_id === userId && (storyId === null || e.story_id === storyId));
}

/**
 * Writes the queued events of `userId` to the replica (others' are dropped:
 * they belong to a replica that is gone). Safe to call more than once.
 */
export async function flushListeningQueue(pg: Replica, userId: string): Promise<number> {
  const events = readQueue();
  if (events.length === 0) return 0;
  writeQueue([]);
  const mine = events.filter((e) => e.user_id === userId);
  let written = 0;
  try {
    for (const e of mine) {
      await recordListening(pg, e.story_id, e.kind, e.position_seconds, e.occurred_at);
      written++;
    }
  } catch (err) {
    // Put back what did not make it, ahead of anything queued meanwhile.
    writeQueue([...mine.slice(written), ...readQueue()]);
    throw err;
  }
  return written;
}

export function clearListeningQueue(): void {
  writeQueue([]);
}
