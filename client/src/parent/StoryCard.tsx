import { Link } from '../app/router.tsx';
import type { StoryRow } from '../db/rows.ts';
import { useT } from '../i18n/i18n.tsx';
import { Badge } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';

export type StoryCardRow = Pick<StoryRow, 'id' | 'title' | 'description' | 'image_asset_id' | 'audio_asset_id' | 'language' | 'age_range' | 'duration_seconds' | 'visibility' | 'is_published' | 'moderation_status' | '_pending'> & {
  offline: boolean;
  failed: boolean;
};

/** One story in the parents' library: cover, title, and the states that matter. */
export function StoryCard({ story }: { story: StoryCardRow }) {
  const t = useT();
  return (
    <li className="story-card" data-story-id={story.id}>
      <Link to={`/stories/${story.id}`} className="story-card-link">
        <Cover title={story.title} assetId={story.image_asset_id} className="story-card-cover" />
        <div className="story-card-body">
          <h3>{story.title}</h3>
          {story.description && <p className="story-card-desc">{story.description}</p>}
          <div className="chips">
            {story.age_range && <Badge>{story.age_range}</Badge>}
            {story.language && <Badge icon="globe">{story.language.toUpperCase()}</Badge>}
            {story.duration_seconds ? <Badge icon="clock">{t('story.duration', { n: Math.max(1, Math.round(story.duration_seconds / 60)) })}</Badge> : null}
            {!story.is_published && <Badge tone="accent">{t('story.draft')}</Badge>}
            {story.offline && <Badge tone="success" icon="check">{t('kid.offlineBadge')}</Badge>}
            {story._pending && !story.failed && <Badge tone="pending" icon="clock">{t('common.pending')}</Badge>}
            {story.failed && <Badge tone="error" icon="alert">{t('common.failed')}</Badge>}
          </div>
        </div>
      </Link>
    </li>
  );
}

/** The query behind every list of story cards. */
export const STORY_CARD_SQL = `
  SELECT s.id, s.created_at, s.title, s.description, s.image_asset_id, s.audio_asset_id, s.language, s.age_range, s.duration_seconds,
         s.visibility, coalesce(s.is_published, false) AS is_published, s.moderation_status, s._pending,
         coalesce(f.status = 'ready', false) AS offline,
         EXISTS (SELECT 1 FROM outbox o WHERE o.entity_table = 'stories' AND o.entity_key = s.id::text AND o.status = 'rejected' AND NOT o.dismissed) AS failed
    FROM stories s LEFT JOIN offline_files f ON f.story_id = s.id`;
