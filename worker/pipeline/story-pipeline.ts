/**
 * The story generation pipeline, for one request (a root QuotaAgent task):
 *
 *   quota → moderation → metadata → (narration ∥ illustration) → publish
 *
 * Each stage has its own child row (pipeline-stage.ts), which parents watch
 * through sync and which lets a re-run skip what is done. The request ends
 * one of four ways, each a settled root row plus the agent-task-complete
 * webhook: refused (quota; failed, with the reason), held (moderation
 * flagged the draft; completed, outcome "held", the story keeps its
 * reasons), published (completed), or failed with a reason a parent can
 * read (task-failure.ts).
 */
import { UnrecoverableError } from 'bullmq';
import type { Tx } from '../../server/db/database.ts';
import type { JobPayload } from '../../server/queue/job-registry.ts';
import type { StoryGenerationInput } from '../../server/services/agent-task-input.ts';
import type { JobContext } from '../job-runner.ts';
import { describeStory, type MetadataOutput } from '../steps/metadata-step.ts';
import { moderateStory, type ModerationOutput } from '../steps/moderation-step.ts';
import { narrateStory, type NarrationOutput } from '../steps/narration-step.ts';
import { illustrateStory, type IllustrationOutput } from '../steps/illustration-step.ts';
import { loadStory, type StoryRecord } from '../steps/story-record.ts';
import { beginTask, loadTask, taskContext, type AgentTaskRow, type TaskOutcome } from '../tasks/agent-task-row.ts';
import { finishTask } from '../tasks/task-completion.ts';
import { attemptsOf, failureFor, recordTaskFailure } from '../tasks/task-failure-record.ts';
import { retryNote, TaskRefusal, type TaskActivity } from '../tasks/task-failure.ts';
import { parseTaskInput } from '../tasks/task-input.ts';
import type { WorkerDeps } from '../worker-deps.ts';
import { settleDuplicateRequests } from './duplicate-requests.ts';
import { completeStage, markStage, openStage, runStage, StageError, startStage, type StageRow } from './pipeline-stage.ts';
import { publishStory } from './publish-story.ts';
import { checkStoryQuota, type QuotaVerdict } from './story-quota.ts';
import { storyVersion } from './story-version.ts';

/** Failed requests do not count against story_quota; saying so spares the parent a worry. */
const NOT_COUNTED = 'This request does not count toward this month’s stories.';

export type PipelineResult = { outcome: 'published' | 'held' | 'refused' | 'failed' | 'already-finished' };

export async function runStoryPipeline(deps: WorkerDeps, payload: JobPayload<'agent.pipeline'>, job: JobContext): Promise<PipelineResult> {
  const root = await loadTask(deps.db, payload.tenantId, payload.taskId);
  if (!root) throw new UnrecoverableError(`Agent task ${payload.taskId} does not exist (deleted with its tenant or story?); nothing to do.`);
  if (root.agent_type !== 'QuotaAgent' || root.parent_task_id !== null) {
    throw new UnrecoverableError(`Agent task ${root.id} is a ${root.agent_type}${root.parent_task_id ? ' stage' : ''}, not a story generation request.`);
  }
  if (!(await beginTask(deps.db, root))) return { outcome: 'already-finished' };
  const pipeline = new StoryPipeline(deps, root, job);
  try {
    return await pipeline.run();
  } catch (err) {
    throw await pipeline.recordFailure(err).catch((recordError: unknown) => {
      // The job still fails (and retries) with its own error; recordAbandonedJob settles the row if it never heals.
      job.logger.error({ err, recordError, task: root.id }, 'could not record a pipeline failure on its task');
      return err as Error;
    });
  }
}

class StoryPipeline {
  private activity: TaskActivity = 'quota';

  constructor(
    private readonly deps: WorkerDeps,
    private readonly root: AgentTaskRow,
    private readonly job: JobContext,
  ) {}

  private get context() {
    return { ...taskContext(this.root), tenantId: this.root.tenant_id };
  }

  async run(): Promise<PipelineResult> {
    const parsed = parseTaskInput(this.root);
    if (parsed.agent_type !== 'QuotaAgent') throw new TaskRefusal('This request is not a story generation request.');
    const input = parsed.input;
    const story = await loadStory(this.deps.db, this.context, this.root.story_id);

    const quota = await this.quota();
    if (!quota.verdict.allowed) return this.refuse(quota);

    this.activity = 'moderation';
    const moderation = await runStage(this.deps.db, this.root, { agentType: 'ModerationAgent', activity: 'moderation', input: {} }, () =>
      moderateStory(this.deps.providers, story, { approveWhenClean: false }),
    );
    if (moderation.flagged || story.moderation_status === 'rejected') return this.hold(story, moderation);

    this.activity = 'metadata';
    const metadata = await runStage(this.deps.db, this.root, { agentType: 'MetadataAgent', activity: 'metadata', input: {} }, () =>
      describeStory(this.deps.providers, story),
    );

    this.activity = 'narration';
    const [narration, illustration] = await this.narrateAndIllustrate(story, input, metadata);

    this.activity = 'publish';
    return this.publish(story, input, { narration, illustration, metadata });
  }

  /** The quota stage. A refusal is not completed here: refuse() fails the stage with the reason. */
  private async quota(): Promise<{ verdict: QuotaVerdict; stage: StageRow }> {
    const stage = await openStage(this.deps.db, this.root, 'QuotaAgent', {});
    if (stage.status === 'completed') return { verdict: stage.output as QuotaVerdict, stage };
    try {
      await startStage(this.deps.db, this.root, stage);
      const verdict = await this.deps.db.transaction(this.context, async (tx) => {
        const checked = await checkStoryQuota(tx, this.root);
        if (checked.allowed) await completeStage(tx, this.root, stage, checked);
        return checked;
      });
      return { verdict, stage };
    } catch (err) {
      throw new StageError('quota', stage, err);
    }
  }

  private async refuse({ verdict, stage }: { verdict: QuotaVerdict; stage: StageRow }): Promise<PipelineResult> {
    const reason = verdict.reason ?? 'This month’s story allowance is used up.';
    await markStage(this.deps.db, this.root, stage, { failed: true, error: reason, output: verdict });
    await finishTask(this.deps, this.root, async () => ({ status: 'failed', output: { outcome: 'refused', story_id: this.root.story_id, quota: verdict }, error: reason }));
    return { outcome: 'refused' };
  }

  private async hold(story: StoryRecord, moderation: ModerationOutput): Promise<PipelineResult> {
    const reasons = moderation.flagged ? moderation.reasons : ['An admin rejected this story earlier, so it stays unpublished.'];
    const outcome: TaskOutcome = {
      status: 'completed',
      output: { outcome: 'held', story_id: story.id, moderation: { categories: moderation.categories, reasons } },
      error: null,
    };
    await this.finish(story, outcome);
    return { outcome: 'held' };
  }

  /** Both run at once; when one fails the other still finishes (and checkpoints) before the failure is raised. */
  private async narrateAndIllustrate(story: StoryRecord, input: StoryGenerationInput, metadata: MetadataOutput): Promise<[NarrationOutput, IllustrationOutput]> {
    const common = { requestedBy: this.root.requested_by };
    const narrationStage = { agentType: 'TTSAgent', activity: 'narration', input: { voice: input.voice ?? null } } as const;
    const illustrationStage = { agentType: 'IllustratorAgent', activity: 'illustration', input: { style: input.illustration_style ?? null } } as const;
    // Their rows are opened one after the other first, so every list of stages ordered by
    // created_at (the parent’s progress, GET /api/agents/tasks/{id}) shows them in pipeline order.
    await openStage(this.deps.db, this.root, narrationStage.agentType, narrationStage.input);
    await openStage(this.deps.db, this.root, illustrationStage.agentType, illustrationStage.input);
    const [narration, illustration] = await Promise.allSettled([
      runStage(this.deps.db, this.root, narrationStage, (row) => narrateStory(this.deps, this.context, { ...common, story, voice: input.voice, taskId: row.id })),
      runStage(this.deps.db, this.root, illustrationStage, (row) =>
        illustrateStory(this.deps, this.context, { ...common, story, tags: [...new Set([...story.tags, ...metadata.tags])], style: input.illustration_style, taskId: row.id }),
      ),
    ]);
    const failures = [narration, illustration].filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    if (failures.length > 0) {
      // A permanent failure decides the request even when the other stage might heal on retry.
      const permanent = failures.find((f) => f instanceof StageError && failureFor(f.cause, f.activity, this.job).failure.permanent);
      throw permanent ?? failures[0];
    }
    return [(narration as PromiseFulfilledResult<NarrationOutput>).value, (illustration as PromiseFulfilledResult<IllustrationOutput>).value];
  }

  private async publish(
    story: StoryRecord,
    input: StoryGenerationInput,
    made: { narration: NarrationOutput; illustration: IllustrationOutput; metadata: MetadataOutput },
  ): Promise<PipelineResult> {
    const outcome: TaskOutcome = {
      status: 'completed',
      output: {
        outcome: 'published',
        story_id: story.id,
        audio_asset_id: made.narration.audio_asset_id,
        image_asset_id: made.illustration.image_asset_id,
        thumbnail_asset_id: made.illustration.thumbnail_asset_id,
        duration_seconds: made.narration.duration_seconds,
        reading_level: made.metadata.reading_level,
        tags: made.metadata.tags,
        is_published: input.publish.is_published,
        visibility: input.publish.visibility,
      },
      error: null,
    };
    await this.finish(story, outcome, async (tx) => {
      await publishStory(tx, {
        storyId: story.id,
        tenantId: story.tenant_id,
        audioAssetId: made.narration.audio_asset_id,
        imageAssetId: made.illustration.image_asset_id,
        durationSeconds: made.narration.duration_seconds,
        publish: input.publish,
      });
    });
    return { outcome: 'published' };
  }

  /** Settles the request (and any duplicate requests for the same version) with `outcome`. */
  private async finish(story: StoryRecord, outcome: TaskOutcome, alongside?: (tx: Tx) => Promise<void>): Promise<void> {
    const parsed = parseTaskInput(this.root);
    const version = parsed.agent_type === 'QuotaAgent' ? storyVersion(story, parsed.input) : null;
    await finishTask(this.deps, this.root, async (finishing) => {
      await alongside?.(finishing.tx);
      if (version) {
        const settled = await settleDuplicateRequests(finishing, this.root, story, version, outcome);
        if (settled.length > 0) this.job.logger.info({ task: this.root.id, duplicates: settled }, 'settled duplicate requests for the same story version');
      }
      return outcome;
    });
  }

  /** Records a failed attempt on the stage and the request; returns the error for BullMQ. */
  async recordFailure(err: unknown): Promise<Error> {
    const stageError = err instanceof StageError ? err : null;
    const activity = stageError?.activity ?? this.activity;
    const cause = stageError ? stageError.cause : err;
    const { failure, final } = failureFor(cause, activity, this.job);
    if (stageError) {
      await markStage(this.deps.db, this.root, stageError.stage, {
        failed: final,
        error: final ? failure.reason : retryNote(activity, attemptsOf(this.job)),
        ...(final ? { output: { failure: { detail: failure.detail } } } : {}),
      });
    }
    return recordTaskFailure(this.deps, this.root, cause, activity, this.job, { output: { story_id: this.root.story_id }, reasonSuffix: NOT_COUNTED });
  }
}
