/** "Available offline" for one story, with download progress. */
import { useReplica } from '../db/replica-context.tsx';
import type { OfflineFileRow } from '../db/rows.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { makeAvailableOffline, removeDownload, type DownloadableStory } from '../offline/story-downloads.ts';
import { Button } from './basics.tsx';

export function OfflineToggle({ story }: { story: DownloadableStory }) {
  const t = useT();
  const pg = useReplica();
  const { rows } = useLiveQuery<OfflineFileRow>(`SELECT * FROM offline_files WHERE story_id = $1`, [story.id]);
  const file = rows[0];
  if (!story.audio_asset_id) return null;
  if (file?.status === 'ready')
    return (
      <div className="offline-toggle" data-offline="ready">
        <span className="badge badge-success">{t('story.downloaded')}</span>
        <Button variant="ghost" icon="trash" onClick={() => void removeDownload(pg, story.id)}>
          {t('story.removeDownload')}
        </Button>
      </div>
    );
  if (file && (file.status === 'downloading' || file.status === 'queued')) {
    const pct = file.bytes_total ? Math.round((Number(file.bytes_done) / Number(file.bytes_total)) * 100) : 0;
    return (
      <div className="offline-toggle" data-offline="downloading">
        <div className="meter" role="progressbar" aria-label={t('story.downloading', { pct })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div style={{ width: `${pct}%` }} />
        </div>
        <span className="muted">{t('story.downloading', { pct })}</span>
      </div>
    );
  }
  return (
    <div className="offline-toggle" data-offline={file?.status ?? 'none'}>
      <Button variant="secondary" icon="download" onClick={() => void makeAvailableOffline(pg, story)}>
        {t('story.availableOffline')}
      </Button>
      {file?.status === 'failed' && (
        // The cause (HTTP status, network) stays in the row for diagnostics; people get what to do.
        <span className="field-error" data-error={file.error ?? ''}>
          {t('story.downloadFailed')}
        </span>
      )}
    </div>
  );
}
