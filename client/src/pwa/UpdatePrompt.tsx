import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Button } from '../ui/basics.tsx';
import { onUpdateAvailable } from './register-service-worker.ts';

/** "A new version is ready" — shown until the person updates. */
export function UpdatePrompt() {
  const t = useT();
  const [update, setUpdate] = useState<(() => void) | null>(null);
  useEffect(() => onUpdateAvailable((u) => setUpdate(() => u)), []);
  if (!update) return null;
  return (
    <div className="toast" role="status">
      <span>{t('pwa.update')}</span>
      <Button onClick={update}>{t('pwa.reload')}</Button>
    </div>
  );
}
