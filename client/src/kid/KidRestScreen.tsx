import { useT } from '../i18n/i18n.tsx';

/** The picture shown instead of stories at bedtime or when today's minutes are used up. */
export function KidRestScreen({ kind }: { kind: 'bedtime' | 'limit' }) {
  const t = useT();
  return (
    <div className={`kid-rest kid-rest-${kind}`} role="status">
      <svg viewBox="0 0 200 140" width="260" aria-hidden="true">
        <circle cx="100" cy="70" r="60" fill="#2E3A6B" />
        <path d="M118 92a30 30 0 1 1-22-50 24 24 0 0 0 22 50Z" fill="#FFE9A8" />
        <circle cx="60" cy="40" r="3" fill="#FFE9A8" />
        <circle cx="145" cy="48" r="2.4" fill="#FFE9A8" />
        <circle cx="140" cy="100" r="2" fill="#FFE9A8" />
        {kind === 'limit' && <path d="M150 20l4 8 9 1-7 6 2 9-8-5-8 5 2-9-7-6 9-1Z" fill="#FFB347" />}
      </svg>
      <p className="kid-rest-text">{kind === 'bedtime' ? t('kid.bedtime') : t('kid.dailyLimit')}</p>
    </div>
  );
}
