/** Live progress of one generation request: its pipeline stages as they sync in. */
import { Link } from '../app/router.tsx';
import type { AgentTaskRow } from '../db/rows.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { PreviewPlayer } from '../audio/PreviewPlayer.tsx';
import { Button, Notice } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';

const STAGES = ['QuotaAgent', 'ModerationAgent', 'MetadataAgent', 'TTSAgent', 'IllustratorAgent'];

export function PipelineProgress({ rootTaskId, onAnother }: { rootTaskId: string; onAnother: () => void }) {
  const t = useT();
  const tasks = useLiveQuery<AgentTaskRow>(`SELECT * FROM agent_tasks WHERE id = $1 OR parent_task_id = $1 ORDER BY created_at`, [rootTaskId]);
  const root = tasks.rows.find((r) => r.id === rootTaskId);
  const story = useLiveQuery<{ id: string; title: string; image_asset_id: string | null; audio_asset_id: string | null }>(
    `SELECT id, title, image_asset_id, audio_asset_id FROM stories WHERE id = $1`,
    [root?.story_id ?? '00000000-0000-0000-0000-000000000000'],
  ).rows[0];
  const byType = new Map(tasks.rows.map((r) => [r.agent_type, r]));
  const done = root?.status === 'completed' && !!story?.audio_asset_id;
  const failed = tasks.rows.find((r) => r.status === 'failed');

  return (
    <section className="card pipeline" aria-labelledby="pipe-title" data-root-task={rootTaskId}>
      <h2 id="pipe-title">{done ? t('create.done') : t('create.pipeline')}</h2>
      {root?._pending && <Notice tone="info" icon="clock">{t('create.queued')}</Notice>}
      <ol className="pipeline-steps">
        {STAGES.map((stage) => {
          const task = byType.get(stage);
          const status = task?.status ?? 'pending';
          return (
            <li key={stage} className={`step step-${status}`}>
              <span className="step-icon" aria-hidden="true">
                {status === 'completed' ? <Icon name="check" size={18} /> : status === 'failed' ? <Icon name="x" size={18} /> : status === 'processing' ? <span className="spinner spinner-small" /> : <span className="step-dot" />}
              </span>
              <span className="step-label">{t(`create.step.${stage}` as MessageKey)}</span>
              <span className="step-status muted">{t(`create.status.${status}`)}</span>
            </li>
          );
        })}
      </ol>
      {failed && <Notice tone="error">{failed.error ?? t('create.status.failed')}</Notice>}
      {story && (
        <div className="pipeline-preview">
          <Cover title={story.title} assetId={story.image_asset_id} className="cover-thumb-lg" />
          <div>
            <h3>{story.title}</h3>
            {story.audio_asset_id && <PreviewPlayer storyId={story.id} audioAssetId={story.audio_asset_id} title={story.title} />}
            <Link to={`/stories/${story.id}`} className="btn btn-primary">
              {t('create.openStory')}
            </Link>
          </div>
        </div>
      )}
      <Button variant="ghost" icon="plus" onClick={onAnother}>
        {t('library.createFirst')}
      </Button>
    </section>
  );
}
