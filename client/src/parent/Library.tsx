/** The family library: every story this adult may see, with age, language and tag filters. */
import { useMemo, useState } from 'react';
import { AGE_RANGES } from '../../../shapes/permissions.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useT } from '../i18n/i18n.tsx';
import { EmptyState, ErrorState, Spinner } from '../ui/basics.tsx';
import { Icon } from '../ui/icons.tsx';
import { languageName } from '../ui/language-names.tsx';
import { StoryCard, STORY_CARD_SQL, type StoryCardRow } from './StoryCard.tsx';

export function Library() {
  const t = useT();
  const [age, setAge] = useState('');
  const [language, setLanguage] = useState('');
  const [tag, setTag] = useState('');
  const [search, setSearch] = useState('');
  const stories = useLiveQuery<StoryCardRow & { tag_ids: string[] | null }>(
    `SELECT c.*, (SELECT array_agg(st.tag_id::text) FROM story_tags st WHERE st.story_id = c.id) AS tag_ids
       FROM (${STORY_CARD_SQL}) c ORDER BY c.created_at DESC NULLS FIRST, c.id`,
  );
  const tags = useLiveQuery<{ id: string; name: string }>(`SELECT DISTINCT t.id::text AS id, t.name FROM tags t JOIN story_tags st ON st.tag_id = t.id ORDER BY t.name`);
  const languages = useMemo(() => [...new Set(stories.rows.map((s) => s.language).filter(Boolean))] as string[], [stories.rows]);
  const filtered = stories.rows.filter(
    (s) =>
      (!age || s.age_range === age) &&
      (!language || s.language === language) &&
      (!tag || (s.tag_ids ?? []).includes(tag)) &&
      (!search || s.title.toLowerCase().includes(search.toLowerCase()) || (s.description ?? '').toLowerCase().includes(search.toLowerCase())),
  );

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('library.title')}</h1>
        <div className="button-row">
          <Link to="/write" className="btn btn-secondary">
            <Icon name="edit" size={20} />
            <span>{t('editor.new')}</span>
          </Link>
          <Link to="/create" className="btn btn-primary">
            <Icon name="sparkles" size={20} />
            <span>{t('library.createFirst')}</span>
          </Link>
        </div>
      </header>
      <div className="filters" role="search">
        <label className="filter-search">
          <span className="sr-only">{t('library.search')}</span>
          <input type="search" placeholder={t('library.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          <span className="sr-only">{t('library.age')}</span>
          <select value={age} onChange={(e) => setAge(e.target.value)} aria-label={t('library.age')}>
            <option value="">{t('library.allAges')}</option>
            {AGE_RANGES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">{t('common.language')}</span>
          <select value={language} onChange={(e) => setLanguage(e.target.value)} aria-label={t('common.language')}>
            <option value="">{t('library.allLanguages')}</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {languageName(l, t)}
              </option>
            ))}
          </select>
        </label>
        {tags.rows.length > 0 && (
          <label>
            <span className="sr-only">{t('library.tags')}</span>
            <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label={t('library.tags')}>
              <option value="">{t('library.allTags')}</option>
              {tags.rows.map((tg) => (
                <option key={tg.id} value={tg.id}>
                  {tg.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {stories.error ? (
        <ErrorState error={stories.error} />
      ) : !stories.ready ? (
        <Spinner />
      ) : stories.rows.length === 0 ? (
        <EmptyState icon="sparkles" title={t('library.empty')}>
          <Link to="/create" className="btn btn-primary">
            {t('library.createFirst')}
          </Link>
        </EmptyState>
      ) : filtered.length === 0 ? (
        <EmptyState icon="book" title={t('library.noMatch')} />
      ) : (
        <ul className="story-grid">
          {filtered.map((s) => (
            <StoryCard key={s.id} story={s} />
          ))}
        </ul>
      )}
    </div>
  );
}
