/**
 * Write or edit a story's text directly. Saving writes to the replica (the
 * `stories` view), so it works offline: the draft shows at once as "waiting
 * to sync" and goes to the server with the outbox.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { AGE_RANGES } from '../../../shapes/permissions.ts';
import { navigate } from '../app/router.tsx';
import { useReplica } from '../db/replica-context.tsx';
import type { StoryRow } from '../db/rows.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Button, Field, Notice } from '../ui/basics.tsx';
import { LanguageOptions } from '../ui/language-names.tsx';

export interface DraftFields {
  title: string;
  description: string;
  content: string;
  age_range: string;
  language: string;
}

export function StoryEditor({ storyId, initial, onSaved }: { storyId?: string; initial?: Partial<DraftFields>; onSaved?: (id: string) => void }) {
  const { t, locale } = useI18n();
  const pg = useReplica();
  const [form, setForm] = useState<DraftFields>({ title: '', description: '', content: '', age_range: '4-6', language: locale, ...initial });
  const [loaded, setLoaded] = useState(!storyId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!storyId) return;
    void pg.query<StoryRow>(`SELECT * FROM stories WHERE id = $1`, [storyId]).then(({ rows }) => {
      const s = rows[0];
      if (s) setForm({ title: s.title, description: s.description ?? '', content: s.content ?? '', age_range: s.age_range ?? '4-6', language: s.language ?? 'en' });
      setLoaded(true);
    });
  }, [pg, storyId]);

  const set = (k: keyof DraftFields) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.title.trim()) return setError(t('editor.required'));
    setBusy(true);
    setError(null);
    try {
      let id = storyId;
      if (id) {
        await pg.query(`UPDATE stories SET title = $2, description = $3, content = $4, age_range = $5, language = $6 WHERE id = $1`, [id, form.title.trim(), form.description, form.content, form.age_range, form.language]);
      } else {
        const { rows } = await pg.query<{ id: string }>(
          `INSERT INTO stories (title, description, content, age_range, language) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [form.title.trim(), form.description, form.content, form.age_range, form.language],
        );
        id = rows[0]!.id;
      }
      if (onSaved) onSaved(id);
      else navigate(`/stories/${id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!loaded) return null;
  return (
    <div className="page">
      <header className="page-header">
        <h1>{storyId ? t('common.edit') : t('editor.new')}</h1>
      </header>
      <form className="card editor" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="ed-title" label={t('editor.title')}>
          <input id="ed-title" value={form.title} maxLength={200} required onChange={set('title')} />
        </Field>
        <Field id="ed-desc" label={t('editor.description')}>
          <input id="ed-desc" value={form.description} maxLength={2000} onChange={set('description')} />
        </Field>
        <div className="field-row">
          <Field id="ed-age" label={t('editor.ageRange')}>
            <select id="ed-age" value={form.age_range} onChange={set('age_range')}>
              {AGE_RANGES.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </Field>
          <Field id="ed-lang" label={t('editor.language')}>
            <select id="ed-lang" value={form.language} onChange={set('language')}>
              <LanguageOptions />
            </select>
          </Field>
        </div>
        <Field id="ed-content" label={t('editor.content')}>
          <textarea id="ed-content" rows={14} value={form.content} maxLength={100_000} onChange={set('content')} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="button-row">
          <Button type="submit" busy={busy} icon="check">
            {t('editor.save')}
          </Button>
          <Button variant="ghost" onClick={() => history.back()}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </div>
  );
}
