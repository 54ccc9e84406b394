/**
 * Reliability of the pipeline against its worker's death, on both queue
 * backends: a worker killed with SIGKILL mid-narration loses its job to
 * another worker, which resumes from the stage rows (completed stages are
 * not redone) and finishes with exactly one set of stage rows, usage rows,
 * asset rows and stored files. And the real `npm run worker` entry, sent
 * SIGTERM mid-job, finishes the job before it exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/observability/logger.ts';
import { startStandaloneWorker } from '../../worker/standalone-worker.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';
import { startPipelineStack, TEST_TIMING, waitUntil, type PipelineStack, type TaskRow } from './support/pipeline-stack.ts';
import { LIGHTHOUSE_STORY, SHORT_STORY } from './support/story-texts.ts';
import { startWorkerProcess } from './support/worker-process.ts';

describe.each(['postgres', 'redis'] as const)('on %s', (backend) => {
  let redis: TestRedis | undefined;
  let stack: PipelineStack;

  beforeAll(async () => {
    redis = backend === 'redis' ? await startTestRedis() : undefined;
    stack = await startPipelineStack({ label: `recovery_${backend}`, inProcessWorker: false, ...(redis ? { redisUrl: redis.url } : {}) });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  // The long story gives a wide window to kill the worker while it narrates.
  const request = (title: string, content = LIGHTHOUSE_STORY) => stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title, content, language: 'en', age_range: '4-6' } } });

  const narrating = (rootId: string) => waitUntil(async () => (await stack.stages(rootId)).some((s) => s.agent_type === 'TTSAgent' && s.status === 'processing'), 'narration to start', 60_000, 20);

  it('a worker killed with SIGKILL mid-job: another takes the job over and finishes it once', async () => {
    const doomed = await startWorkerProcess('tests/pipeline/support/pipeline-worker-child.ts', stack.env, /worker ready/);
    let rescuer: Awaited<ReturnType<typeof startStandaloneWorker>> | undefined;
    try {
      const { id } = await request('Pebble Keeps Watch');
      await narrating(id);
      const before = await stack.stages(id);
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toBe('SIGKILL');
      expect((await stack.task(id)).status).toBe('processing');

      rescuer = await startStandaloneWorker(stack.config, silentLogger(), { timing: TEST_TIMING });
      const root = await stack.settled(id, 120_000);
      expect(root.error).toBeNull();
      expect(root.output.outcome).toBe('published');

      const after = await stack.stages(id);
      expect(after.map((s) => [s.agent_type, s.status])).toEqual([
        ['QuotaAgent', 'completed'],
        ['ModerationAgent', 'completed'],
        ['MetadataAgent', 'completed'],
        ['TTSAgent', 'completed'],
        ['IllustratorAgent', 'completed'],
      ]);
      // Stages completed before the kill were not run again.
      const doneBefore = before.filter((s) => s.status === 'completed');
      expect(doneBefore.map((s) => s.agent_type)).toEqual(expect.arrayContaining(['QuotaAgent', 'ModerationAgent', 'MetadataAgent']));
      for (const stage of doneBefore) expect(after.find((s) => s.id === stage.id)!.completed_at).toEqual(stage.completed_at);
      // Narration was redone, by the rescuer.
      const ttsBefore = before.find((s) => s.agent_type === 'TTSAgent')!;
      expect(after.find((s) => s.agent_type === 'TTSAgent')!.started_at! > ttsBefore.started_at!).toBe(true);

      const usage = (await stack.admin.query('SELECT purpose, count(*)::int AS n FROM llm_usage u JOIN agent_tasks t ON t.id = u.agent_task_id WHERE t.parent_task_id = $1 GROUP BY purpose ORDER BY purpose', [id])).rows;
      expect(usage).toEqual([
        { purpose: 'illustration', n: 1 },
        { purpose: 'metadata', n: 1 },
        { purpose: 'moderation', n: 1 },
        { purpose: 'speech', n: 1 },
      ]);
      const assets = (await stack.admin.query('SELECT type, storage_key FROM assets WHERE story_id = $1 ORDER BY type', [root.story_id])).rows;
      expect(assets.map((a) => a.type)).toEqual(['audio', 'image', 'image']);
      // One stored file per asset row, and no orphan left by the killed attempt.
      const files = storedFiles(stack, stack.family.tenantId);
      expect(files).toHaveLength(3);
      expect(assets.every((a) => files.some((f) => a.storage_key.endsWith(f)))).toBe(true);
    } finally {
      doomed.kill();
      await rescuer?.stop();
    }
  }, 180_000);

  it('npm run worker, sent SIGTERM mid-job, finishes the job before it exits', async () => {
    const worker = await startWorkerProcess('worker/main.ts', { ...stack.env, LOG_LEVEL: 'info' }, /Talemo worker running/);
    try {
      const { id } = await request('Milo and the Storm', SHORT_STORY);
      await narrating(id);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      const root: TaskRow = await stack.task(id);
      expect(root.status).toBe('completed');
      expect(root.output.outcome).toBe('published');
      expect(worker.output()).toMatch(/finishing the jobs in flight/);
    } finally {
      worker.kill();
    }
  }, 120_000);
});

function storedFiles(stack: PipelineStack, tenantId: string): string[] {
  const dir = path.join(stack.config.dataDir, 'assets', 'tenants', tenantId);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.[a-z0-9]+$/.test(f));
}

describe('a job whose workers keep dying', () => {
  let stack: PipelineStack;
  beforeAll(async () => {
    stack = await startPipelineStack({ label: 'recovery_stalls', inProcessWorker: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is failed by the queue after it stalled too often, and the request says so in plain words', async () => {
    const { id } = await stack.trigger({ agent_type: 'QuotaAgent', input: { story: { title: 'Pebble Never Finishes', content: LIGHTHOUSE_STORY, language: 'en', age_range: '4-6' } } });
    // Three workers that take the job and hang, each killed: more stalls than maxStalledCount (2) allows.
    for (let i = 0; i < 3; i++) {
      const hanging = await startWorkerProcess('tests/support/queue-worker-child.ts', { QUEUE_URL: stack.t.urls.queue, REDIS_URL: '' }, /ready/);
      try {
        await waitUntil(() => /started pipeline\./.test(hanging.output()), 'a hanging worker to take the job', 30_000, 20);
        hanging.child.kill('SIGKILL');
        await hanging.exited;
      } finally {
        hanging.kill();
      }
    }
    const rescuer = await startStandaloneWorker(stack.config, silentLogger(), { timing: TEST_TIMING });
    try {
      const root = await stack.settled(id, 60_000);
      expect(root.status).toBe('failed');
      expect(root.error).toBe('The worker making this stopped unexpectedly several times, so we gave up. Please try again; if it keeps happening, tell your administrator.');
      expect(root.output.failure.detail).toMatch(/stalled/);
      expect(await stack.stages(id)).toEqual([]);
    } finally {
      await rescuer.stop();
    }
  }, 120_000);
});

