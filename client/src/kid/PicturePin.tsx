/**
 * The picture code that keeps kid mode closed: three pictures out of nine,
 * chosen by a parent. Only a SHA-256 of the sequence is kept on the device.
 */
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { Replica } from '../db/replica.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { Icon } from '../ui/icons.tsx';

/** Nine pictures a child can tell apart without reading; screen readers name them (`pin.picture.<id>`). */
const PICTURES: Array<{ id: string; art: ReactNode }> = [
  { id: 'sun', art: <g><circle cx="24" cy="24" r="9" fill="#F6B73C" /><g stroke="#F6B73C" strokeWidth="3" strokeLinecap="round">{[0, 45, 90, 135, 180, 225, 270, 315].map((a) => <line key={a} x1="24" y1="6" x2="24" y2="10" transform={`rotate(${a} 24 24)`} />)}</g></g> },
  { id: 'moon', art: <path d="M31 33a13 13 0 1 1-9-22 10 10 0 0 0 9 22Z" fill="#6B7FD7" /> },
  { id: 'star', art: <path d="M24 8l4.6 9.4 10.4 1.5-7.5 7.3 1.8 10.3L24 31.6l-9.3 4.9 1.8-10.3L9 18.9l10.4-1.5Z" fill="#F2A93B" /> },
  { id: 'heart', art: <path d="M24 38S9 29 9 19a7.5 7.5 0 0 1 15-2 7.5 7.5 0 0 1 15 2c0 10-15 19-15 19Z" fill="#E05A6D" /> },
  { id: 'leaf', art: <path d="M12 36C12 20 22 10 38 10c0 16-10 26-26 26Zm0 0 14-14" fill="#5DAA68" stroke="#3E7F49" strokeWidth="2" strokeLinecap="round" /> },
  { id: 'fish', art: <g><path d="M8 24c6-9 18-11 26-3l6-5v16l-6-5c-8 8-20 6-26-3Z" fill="#3EA6C9" /><circle cx="16" cy="22" r="2" fill="#fff" /></g> },
  { id: 'flower', art: <g>{[0, 72, 144, 216, 288].map((a) => <ellipse key={a} cx="24" cy="14" rx="5" ry="8" fill="#E889C4" transform={`rotate(${a} 24 24)`} />)}<circle cx="24" cy="24" r="5" fill="#F6C945" /></g> },
  { id: 'cloud', art: <path d="M14 34h21a7 7 0 0 0 0-14 10 10 0 0 0-19-2 8 8 0 0 0-2 16Z" fill="#9DB7D5" /> },
  { id: 'drop', art: <path d="M24 8s11 12 11 20a11 11 0 0 1-22 0c0-8 11-20 11-20Z" fill="#4A90D9" /> },
];

const CODE_LENGTH = 3;

async function digest(sequence: string[]): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`talemo-pin:${sequence.join(',')}`));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function hasPin(pg: Replica): Promise<boolean> {
  return (await pg.query(`SELECT 1 FROM device_meta WHERE key = 'kid_pin'`)).rows.length > 0;
}

function PictureGrid({ chosen, onPick }: { chosen: number; onPick: (id: string) => void }) {
  const t = useT();
  return (
    <>
      <div className="pin-dots" aria-hidden="true">
        {Array.from({ length: CODE_LENGTH }, (_, i) => (
          <span key={i} className={i < chosen ? 'pin-dot filled' : 'pin-dot'} />
        ))}
      </div>
      <div className="pin-grid">
        {PICTURES.map((p) => (
          <button key={p.id} type="button" className="pin-key" aria-label={t(`pin.picture.${p.id}` as MessageKey)} data-picture={p.id} onClick={() => onPick(p.id)}>
            <svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true">
              {p.art}
            </svg>
          </button>
        ))}
      </div>
    </>
  );
}

/** Asks for the code; calls onUnlock when it matches. */
export function PinPad({ pg, onUnlock, onCancel }: { pg: Replica; onUnlock: () => void; onCancel: () => void }) {
  const t = useT();
  const [seq, setSeq] = useState<string[]>([]);
  const [wrong, setWrong] = useState(false);
  const pick = async (id: string) => {
    const next = [...seq, id];
    setWrong(false);
    if (next.length < CODE_LENGTH) return setSeq(next);
    setSeq([]);
    const { rows } = await pg.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM device_meta WHERE key = 'kid_pin'`);
    if (rows[0]?.value === (await digest(next))) onUnlock();
    else setWrong(true);
  };
  return (
    <div className="pin-screen" role="dialog" aria-modal="true" aria-labelledby="pin-title">
      <button type="button" className="icon-btn pin-close" aria-label={t('common.close')} onClick={onCancel}>
        <Icon name="x" />
      </button>
      <Icon name="lock" size={36} />
      <h1 id="pin-title">{t('pin.title')}</h1>
      <p className="muted">{t('pin.help')}</p>
      <PictureGrid chosen={seq.length} onPick={(id) => void pick(id)} />
      <p className="pin-message" role="alert">
        {wrong ? t('pin.wrong') : ''}
      </p>
    </div>
  );
}

/** A parent chooses the code (twice, to be sure). */
export function PinSetup({ pg, onDone, onCancel }: { pg: Replica; onDone: () => void; onCancel?: () => void }) {
  const t = useT();
  const [first, setFirst] = useState<string[] | null>(null);
  const [seq, setSeq] = useState<string[]>([]);
  const [mismatch, setMismatch] = useState(false);
  const pick = async (id: string) => {
    const next = [...seq, id];
    setMismatch(false);
    if (next.length < CODE_LENGTH) return setSeq(next);
    setSeq([]);
    if (!first) return setFirst(next);
    if (first.join() !== next.join()) {
      setFirst(null);
      setMismatch(true);
      return;
    }
    await pg.query(`INSERT INTO device_meta (key, value) VALUES ('kid_pin', to_jsonb($1::text)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [await digest(next)]);
    onDone();
  };
  return (
    <div className="pin-screen" role="dialog" aria-modal="true" aria-labelledby="pin-setup-title">
      {onCancel && (
        <button type="button" className="icon-btn pin-close" aria-label={t('common.close')} onClick={onCancel}>
          <Icon name="x" />
        </button>
      )}
      <Icon name="lock" size={36} />
      <h1 id="pin-setup-title">{t('pin.setTitle')}</h1>
      <p className="muted">{first ? t('pin.confirm') : t('pin.setHelp')}</p>
      <PictureGrid chosen={seq.length} onPick={(id) => void pick(id)} />
      <p className="pin-message" role="alert">
        {mismatch ? t('pin.mismatch') : ''}
      </p>
    </div>
  );
}
