/** One story for adults: listen, read, keep offline, publish, edit. */
import { can } from '../../../shapes/permissions.ts';
import { PreviewPlayer } from '../audio/PreviewPlayer.tsx';
import { Link, navigate } from '../app/router.tsx';
import { useMe } from '../app/session.tsx';
import { useReplica } from '../db/replica-context.tsx';
import type { OutboxRow, StoryRow } from '../db/rows.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { rejectionText } from '../i18n/server-messages.ts';
import { Badge, Button, EmptyState, Notice, Spinner } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';
import { OfflineToggle } from '../ui/OfflineToggle.tsx';

const VISIBILITIES = ['private', 'tenant_only', 'public'] as const;

export function StoryDetail({ storyId }: { storyId: string }) {
  const { t, locale } = useI18n();
  const pg = useReplica();
  const me = useMe();
  const { rows, ready } = useLiveQuery<StoryRow>(`SELECT * FROM stories WHERE id = $1`, [storyId]);
  const problems = useLiveQuery<OutboxRow>(`SELECT * FROM outbox WHERE entity_table = 'stories' AND entity_key = $1 AND status = 'rejected' AND NOT dismissed ORDER BY seq DESC`, [storyId]);
  const story = rows[0];
  if (!ready) return <Spinner />;
  if (!story)
    return (
      <div className="page">
        <EmptyState icon="book" title={t('story.notFound')}>
          <Link to="/library" className="btn btn-secondary">
            {t('common.back')}
          </Link>
        </EmptyState>
      </div>
    );
  const mine = story.created_by === me.user.id;
  const canPublish = mine && can(me.permissions, 'stories.publish');
  const canEdit = mine && can(me.permissions, 'stories.create');
  const setVisibility = (visibility: string, isPublished: boolean) =>
    void pg.query(`UPDATE stories SET visibility = $2, is_published = $3 WHERE id = $1`, [storyId, visibility, isPublished]);
  const remove = async () => {
    await pg.query(`DELETE FROM stories WHERE id = $1`, [storyId]);
    navigate('/library');
  };

  return (
    <article className="page story-detail">
      <Link to="/library" className="back-link">
        <Icon name="back" size={20} /> {t('nav.library')}
      </Link>
      <div className="story-hero">
        <Cover title={story.title} assetId={story.image_asset_id} className="story-hero-cover" />
        <div className="story-hero-body">
          <h1>{story.title}</h1>
          <div className="chips">
            {story.age_range && <Badge>{story.age_range}</Badge>}
            {story.language && <Badge icon="globe">{story.language.toUpperCase()}</Badge>}
            <Badge tone={story.is_published ? 'success' : 'accent'}>{story.is_published ? t('story.published') : t('story.draft')}</Badge>
            {story.moderation_status && <Badge>{t(`story.moderation.${story.moderation_status}`)}</Badge>}
            {story._pending && <Badge tone="pending" icon="clock">{t('common.pending')}</Badge>}
          </div>
          {story.description && <p className="lead">{story.description}</p>}
          {story.audio_asset_id ? <PreviewPlayer storyId={story.id} audioAssetId={story.audio_asset_id} title={story.title} /> : <p className="muted">{t('story.noAudio')}</p>}
          <OfflineToggle story={story} />
        </div>
      </div>
      {problems.rows.map((p) => (
        <Notice
          key={p.seq}
          tone="error"
          icon="alert"
          action={
            <Button variant="ghost" onClick={() => void pg.query(`UPDATE outbox SET dismissed = true WHERE seq = $1`, [p.seq])}>
              {t('common.dismiss')}
            </Button>
          }
        >
          {rejectionText(p.mutation_type, p.message, t, locale)}
        </Notice>
      ))}
      {canPublish && (
        <section className="card" aria-labelledby="vis-title">
          <h2 id="vis-title">{t('story.visibility')}</h2>
          <div className="segmented" role="radiogroup" aria-labelledby="vis-title">
            {VISIBILITIES.map((v) => (
              <button key={v} type="button" role="radio" aria-checked={story.visibility === v} className={story.visibility === v ? 'active' : ''} onClick={() => setVisibility(v, !!story.is_published)}>
                {t(`story.${v}`)}
              </button>
            ))}
          </div>
          <div className="button-row">
            {story.is_published ? (
              <Button variant="secondary" onClick={() => setVisibility(story.visibility ?? 'tenant_only', false)}>
                {t('story.unpublish')}
              </Button>
            ) : (
              <Button icon="check" onClick={() => setVisibility(story.visibility === 'private' || !story.visibility ? 'tenant_only' : story.visibility, true)}>
                {t('story.publish')}
              </Button>
            )}
          </div>
        </section>
      )}
      {story.content && (
        <section className="card story-text" aria-labelledby="text-title">
          <h2 id="text-title">{t('story.text')}</h2>
          {story.content.split(/\n{2,}/).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
        </section>
      )}
      {canEdit && (
        <div className="button-row">
          <Link to={`/stories/${story.id}/edit`} className="btn btn-secondary">
            <Icon name="edit" size={20} />
            <span>{t('common.edit')}</span>
          </Link>
          {!story.is_published && (
            <Button variant="danger" icon="trash" onClick={() => void remove()}>
              {t('common.delete')}
            </Button>
          )}
        </div>
      )}
    </article>
  );
}
