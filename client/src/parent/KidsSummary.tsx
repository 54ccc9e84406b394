/** Each kid's listening, from the listening events parents sync (theirs and the kids'). */
import { useState } from 'react';
import { can } from '../../../shapes/permissions.ts';
import { apiFetch } from '../app/api.ts';
import { useMe } from '../app/session.tsx';
import { PROGRESS_EVERY_SECONDS } from '../audio/listening-recorder.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n, useT } from '../i18n/i18n.tsx';
import { refusalText } from '../i18n/server-messages.ts';
import { Button, EmptyState, Notice, Spinner } from '../ui/basics.tsx';
import { Cover } from '../ui/Cover.tsx';

interface KidRow {
  id: string;
  display_name: string;
  avatar: string | null;
  today: number;
  week: number;
}

export function KidsSummary() {
  const t = useT();
  const me = useMe();
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const weekStart = new Date(start.getTime() - 6 * 86_400_000);
  const kids = useLiveQuery<KidRow>(
    `SELECT u.id, u.display_name, u.avatar,
            (SELECT count(*)::int FROM listening_events e WHERE e.user_id = u.id AND e.event_kind = 'progress' AND e.occurred_at >= $1) AS today,
            (SELECT count(*)::int FROM listening_events e WHERE e.user_id = u.id AND e.event_kind = 'progress' AND e.occurred_at >= $2) AS week
       FROM users u WHERE u.kind = 'kid' AND coalesce(u.is_active, true) ORDER BY u.display_name`,
    [start.toISOString(), weekStart.toISOString()],
  );
  const minutes = (events: number) => Math.round((events * PROGRESS_EVERY_SECONDS) / 60);
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('kids.title')}</h1>
      </header>
      {!kids.ready ? (
        <Spinner />
      ) : kids.rows.length === 0 ? (
        <EmptyState icon="users" title={t('kids.none')} />
      ) : (
        <ul className="kid-summary-list">
          {kids.rows.map((k) => (
            <KidCard key={k.id} kid={k} minutesToday={minutes(k.today)} minutesWeek={minutes(k.week)} canPair={can(me.permissions, 'users.manage')} />
          ))}
        </ul>
      )}
    </div>
  );
}

function KidCard({ kid, minutesToday, minutesWeek, canPair }: { kid: KidRow; minutesToday: number; minutesWeek: number; canPair: boolean }) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const recent = useLiveQuery<{ id: string; title: string; image_asset_id: string | null; last: string }>(
    `SELECT s.id, s.title, s.image_asset_id, max(e.occurred_at)::text AS last
       FROM listening_events e JOIN stories s ON s.id = e.story_id
      WHERE e.user_id = $1 GROUP BY s.id, s.title, s.image_asset_id ORDER BY max(e.occurred_at) DESC LIMIT 4`,
    [kid.id],
  );
  const pair = async () => {
    setError(null);
    try {
      const res = await apiFetch<{ code: string }>('/api/auth/pairing/codes', { method: 'POST', body: { kidId: kid.id } });
      setCode(res.code);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li className="card kid-summary">
      <div className="kid-summary-head">
        <span className="kid-avatar" aria-hidden="true">
          {kid.display_name.slice(0, 1).toUpperCase()}
        </span>
        <div>
          <h2>{kid.display_name}</h2>
          <p className="muted">
            {t('kids.today', { n: minutesToday })} · {t('kids.week', { n: minutesWeek })}
          </p>
        </div>
        {canPair && (
          <Button variant="secondary" onClick={() => void pair()}>
            {t('kids.pair')}
          </Button>
        )}
      </div>
      {code && <Notice tone="success">{t('kids.pairCode', { code })}</Notice>}
      {error !== null && <Notice tone="error">{refusalText(error, t, locale)}</Notice>}
      <h3 className="sub-title">{t('kids.recent')}</h3>
      {recent.rows.length === 0 ? (
        <p className="muted">{t('kids.nothing')}</p>
      ) : (
        <ul className="recent-row">
          {recent.rows.map((s) => (
            <li key={s.id}>
              <Cover title={s.title} assetId={s.image_asset_id} className="cover-thumb" />
              <span>{s.title}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
