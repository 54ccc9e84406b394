/**
 * The kid player's screen: a big cover and big buttons. The same view
 * serves the boot screen (before the replica opens) and the app, so a story
 * started on one carries on, unchanged, on the other.
 */
import { useT } from '../i18n/i18n.tsx';
import { Cover } from '../ui/Cover.tsx';
import { Icon } from '../ui/icons.tsx';
import type { KidPlayback, PlaybackView } from './kid-playback.ts';
import { SLEEP_STEPS } from './sleep-timer.ts';

export function KidPlayerView({ title, imageAssetId, view, playback, onBack }: { title: string; imageAssetId: string | null; view: PlaybackView; playback: KidPlayback | null; onBack: () => void }) {
  const t = useT();
  const total = view.duration || 0;
  const position = view.position;
  return (
    <div className="kid-shell kid-player">
      <KidBackButton onBack={onBack} />
      <div className="kid-player-cover">
        <Cover title={title} assetId={imageAssetId} />
      </div>
      <div className="kid-player-panel">
        <h1 className="kid-player-title">{title}</h1>
        {view.state === 'unavailable' ? (
          <div className="kid-unavailable" role="status">
            <Icon name="cloudOff" size={56} />
            <span className="sr-only">{t('kid.unavailable')}</span>
          </div>
        ) : (
          <>
            <div
              className="kid-progress"
              role="slider"
              aria-label={title}
              aria-valuemin={0}
              aria-valuemax={Math.round(total)}
              aria-valuenow={Math.floor(position)}
              data-current-time={position.toFixed(2)}
              tabIndex={0}
            >
              <div className="kid-progress-fill" style={{ width: total ? `${Math.min(100, (position / total) * 100)}%` : '0%' }} />
            </div>
            <div className="kid-controls">
              <button type="button" className="icon-btn kid-round" aria-label={t('kid.rewind')} onClick={() => playback?.seekBy(-15)}>
                <Icon name="rewind" size={36} />
              </button>
              <button type="button" className="kid-play" aria-label={view.playing ? t('kid.pause') : t('kid.play')} data-playing={view.playing} disabled={view.state === 'loading' && !view.playing} onClick={() => playback?.toggle()}>
                {view.state === 'loading' && !view.playing ? <span className="spinner" aria-hidden="true" /> : <Icon name={view.playing ? 'pause' : 'play'} size={56} />}
              </button>
              <button type="button" className="icon-btn kid-round" aria-label={t('kid.forward')} onClick={() => playback?.seekBy(15)}>
                <Icon name="forward" size={36} />
              </button>
            </div>
            <div className="kid-extras">
              <button
                type="button"
                className={`kid-sleep${view.sleepIndex ? ' on' : ''}`}
                aria-label={view.sleepIndex ? t('kid.sleepIn', { n: SLEEP_STEPS[view.sleepIndex]! }) : t('kid.sleepTimer')}
                data-sleep-minutes={SLEEP_STEPS[view.sleepIndex]}
                onClick={() => playback?.cycleSleep(Date.now())}
              >
                <Icon name="moon" size={30} />
                {view.sleepIndex > 0 && (
                  <span className="kid-sleep-dots" aria-hidden="true">
                    {Array.from({ length: view.sleepIndex }, (_, i) => (
                      <span key={i} />
                    ))}
                  </span>
                )}
              </button>
              <label className="kid-volume">
                <Icon name="volume" size={28} />
                <span className="sr-only">{t('kid.volume')}</span>
                <input type="range" min={0} max={view.maxVolume} step={0.01} value={view.volume} onChange={(e) => playback?.setVolume(Number(e.target.value))} />
              </label>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

export function KidBackButton({ onBack }: { onBack: () => void }) {
  const t = useT();
  return (
    <button type="button" className="icon-btn kid-back" aria-label={t('kid.back')} onClick={onBack}>
      <Icon name="back" size={36} />
    </button>
  );
}
