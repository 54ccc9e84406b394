/**
 * Creating a story with the StoryCompanion: chat → the companion fills the
 * story form → "narrate and illustrate" (a generation request) → live
 * pipeline progress from agent_tasks through sync → preview → publish.
 * Every request is a row written to the replica, so it is queued offline and
 * shows as waiting until it syncs.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { AGE_RANGES } from '../../../shapes/permissions.ts';
import { Link } from '../app/router.tsx';
import { useReplica } from '../db/replica-context.tsx';
import type { AgentTaskRow } from '../db/rows.ts';
import { useLiveQuery } from '../db/use-live-query.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Badge, Button, Field, Notice } from '../ui/basics.tsx';
import { Icon } from '../ui/icons.tsx';
import { LanguageOptions } from '../ui/language-names.tsx';
import { PipelineProgress } from './PipelineProgress.tsx';
import type { DraftFields } from './StoryEditor.tsx';

interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Reads the companion's answer, whatever the worker names its fields. */
function companionAnswer(output: Record<string, unknown> | null): { reply: string | null; form: Partial<DraftFields> | null } {
  if (!output) return { reply: null, form: null };
  const reply = (output.reply ?? output.message ?? output.text ?? null) as string | null;
  const f = (output.form ?? output.story ?? null) as Record<string, unknown> | null;
  const form = f
    ? {
        title: String(f.title ?? ''),
        description: String(f.description ?? f.theme ?? ''),
        content: String(f.content ?? f.text ?? ''),
        age_range: String(f.age_range ?? f.ageRange ?? '4-6'),
        language: String(f.language ?? 'en'),
      }
    : null;
  return { reply, form };
}

export function CreateStory() {
  const { t, locale } = useI18n();
  const pg = useReplica();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [draft, setDraft] = useState('');
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const [form, setForm] = useState<DraftFields | null>(null);
  const [generation, setGeneration] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [publishWhenReady, setPublishWhenReady] = useState(true);

  const waiting = useLiveQuery<AgentTaskRow>(`SELECT * FROM agent_tasks WHERE id = $1`, [waitingFor ?? '00000000-0000-0000-0000-000000000000']);
  const pendingTask = waitingFor ? waiting.rows[0] : undefined;
  const answer = companionAnswer(pendingTask?.output ?? null);
  const finished = pendingTask?.status === 'completed' && answer.reply !== null;
  useEffect(() => {
    if (!finished) return;
    // Fold the finished turn into the conversation, once.
    setMessages((m) => [...m, { role: 'assistant', content: answer.reply! }]);
    if (answer.form) setForm({ title: '', description: '', content: '', age_range: '4-6', language: locale, ...answer.form });
    setWaitingFor(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the turn finishes
  }, [finished]);

  const requests = useLiveQuery<AgentTaskRow & { title: string | null }>(
    `SELECT a.*, s.title FROM agent_tasks a LEFT JOIN stories s ON s.id = a.story_id WHERE a.agent_type = 'QuotaAgent' AND a.parent_task_id IS NULL ORDER BY a.created_at DESC LIMIT 10`,
  );

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    const next: ChatMessage[] = [...messages, { role: 'user', content: text }];
    setMessages(next);
    setDraft('');
    setError(null);
    try {
      const { rows } = await pg.query<{ id: string }>(`INSERT INTO agent_tasks (agent_type, input) VALUES ('StoryCompanion', $1) RETURNING id`, [JSON.stringify({ messages: next, language: locale })]);
      setWaitingFor(rows[0]!.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    if (!form.title.trim() || !form.content.trim()) return setError(t('editor.required'));
    setError(null);
    const input = {
      story: { title: form.title.trim(), description: form.description, content: form.content.trim(), language: form.language, age_range: form.age_range, tags: [] },
      publish: publishWhenReady ? { is_published: true, visibility: 'tenant_only' } : { is_published: false, visibility: 'private' },
    };
    const { rows } = await pg.query<{ id: string }>(`INSERT INTO agent_tasks (agent_type, input) VALUES ('QuotaAgent', $1) RETURNING id`, [JSON.stringify(input)]);
    setGeneration(rows[0]!.id);
  };

  const setField = (k: keyof DraftFields) => (e: { target: { value: string } }) => form && setForm({ ...form, [k]: e.target.value });

  return (
    <div className="page create">
      <header className="page-header">
        <h1>{t('create.title')}</h1>
        <Link to="/write" className="btn btn-ghost">
          <Icon name="edit" size={20} />
          <span>{t('create.writeMyself')}</span>
        </Link>
      </header>
      {generation ? (
        <PipelineProgress rootTaskId={generation} onAnother={() => (setGeneration(null), setForm(null), setMessages([]))} />
      ) : (
        <div className="create-layout">
          <section className="card chat" aria-labelledby="chat-title">
            <h2 id="chat-title" className="sr-only">
              StoryCompanion
            </h2>
            <ol className="chat-log" aria-live="polite">
              <li className="chat-msg assistant">
                <span className="chat-avatar" aria-hidden="true">
                  <Icon name="sparkles" size={18} />
                </span>
                <p>{t('create.intro')}</p>
              </li>
              {messages.map((m, i) => (
                <li key={i} className={`chat-msg ${m.role}`}>
                  {m.role === 'assistant' && (
                    <span className="chat-avatar" aria-hidden="true">
                      <Icon name="sparkles" size={18} />
                    </span>
                  )}
                  <p>{m.content}</p>
                </li>
              ))}
              {pendingTask && (
                <li className="chat-msg assistant pending">
                  <span className="chat-avatar" aria-hidden="true">
                    <Icon name="sparkles" size={18} />
                  </span>
                  <p>{pendingTask._pending ? t('create.queued') : pendingTask.status === 'failed' ? (pendingTask.error ?? t('create.status.failed')) : t('create.thinking')}</p>
                </li>
              )}
            </ol>
            <form className="chat-input" onSubmit={(e) => void send(e)}>
              <label htmlFor="chat-text" className="sr-only">
                {t('create.placeholder')}
              </label>
              <textarea id="chat-text" rows={2} placeholder={t('create.placeholder')} value={draft} onChange={(e) => setDraft(e.target.value)} />
              <Button type="submit" icon="send" disabled={!draft.trim()}>
                {t('create.send')}
              </Button>
            </form>
          </section>
          {form && (
            <form className="card editor" onSubmit={(e) => void generate(e)} aria-labelledby="form-title">
              <h2 id="form-title">{t('create.form')}</h2>
              <Field id="cr-title" label={t('editor.title')}>
                <input id="cr-title" value={form.title} onChange={setField('title')} />
              </Field>
              <Field id="cr-desc" label={t('editor.description')}>
                <input id="cr-desc" value={form.description} onChange={setField('description')} />
              </Field>
              <div className="field-row">
                <Field id="cr-age" label={t('editor.ageRange')}>
                  <select id="cr-age" value={form.age_range} onChange={setField('age_range')}>
                    {AGE_RANGES.map((a) => (
                      <option key={a}>{a}</option>
                    ))}
                  </select>
                </Field>
                <Field id="cr-lang" label={t('editor.language')}>
                  <select id="cr-lang" value={form.language} onChange={setField('language')}>
                    <LanguageOptions />
                  </select>
                </Field>
              </div>
              <Field id="cr-content" label={t('editor.content')}>
                <textarea id="cr-content" rows={10} value={form.content} onChange={setField('content')} />
              </Field>
              <label className="check">
                <input type="checkbox" checked={publishWhenReady} onChange={(e) => setPublishWhenReady(e.target.checked)} />
                <span>{t('create.publishWhenReady')}</span>
              </label>
              <Button type="submit" icon="sparkles">
                {t('create.generate')}
              </Button>
            </form>
          )}
          {!form && messages.length === 0 && (
            <Button variant="secondary" onClick={() => setForm({ title: '', description: '', content: '', age_range: '4-6', language: locale })}>
              {t('create.form')}
            </Button>
          )}
        </div>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      <section className="card" aria-labelledby="req-title">
        <h2 id="req-title">{t('create.requests')}</h2>
        {requests.rows.length === 0 ? (
          <p className="muted">{t('create.noRequests')}</p>
        ) : (
          <ul className="request-list">
            {requests.rows.map((r) => {
              const title = r.title ?? ((r.input?.story as { title?: string } | undefined)?.title ?? '—');
              return (
                <li key={r.id} className="request-row">
                  <span className="request-title">{title}</span>
                  {r._pending ? (
                    <Badge tone="pending" icon="clock">
                      {t('common.pending')}
                    </Badge>
                  ) : (
                    <Badge tone={r.status === 'failed' ? 'error' : r.status === 'completed' ? 'success' : 'neutral'}>{t(`create.status.${r.status}`)}</Badge>
                  )}
                  {r.story_id && <Link to={`/stories/${r.story_id}`}>{t('create.openStory')}</Link>}
                  {r.error && <span className="field-error">{r.error}</span>}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
