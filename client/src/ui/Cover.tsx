/**
 * A story's cover. Covers are cached the first time they are shown (they are
 * small), so the library looks the same offline; without an image, or before
 * it arrives, a painted placeholder derived from the title stands in.
 */
import { useEffect, useState } from 'react';
import { fetchAssetWhole } from '../offline/asset-download.ts';
import { coverPath, offlineGeneration, playableUrl, putFile } from '../offline/offline-cache.ts';

const PALETTES = [
  ['#FFB347', '#E2583A'],
  ['#8FD3C8', '#2F7F7A'],
  ['#C9B6F2', '#6B4FB3'],
  ['#FFD36E', '#D98324'],
  ['#9FC7F5', '#3A6FB0'],
  ['#F6A8B8', '#C0456A'],
];

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h);
}

const inflight = new Map<string, Promise<string | null>>();

function loadCover(assetId: string): Promise<string | null> {
  let p = inflight.get(assetId);
  if (!p) {
    p = (async () => {
      const cached = await playableUrl(coverPath(assetId));
      if (cached) return cached;
      if (!navigator.onLine) return null;
      const since = offlineGeneration();
      try {
        const { blob, mimeType } = await fetchAssetWhole(assetId, () => {});
        if (!(await putFile(coverPath(assetId), blob, mimeType, since))) return null;
        return (await playableUrl(coverPath(assetId))) ?? URL.createObjectURL(blob);
      } catch {
        return null;
      }
    })();
    inflight.set(assetId, p);
    void p.then((v) => {
      if (v === null) inflight.delete(assetId);
    });
  }
  return p;
}

export function useCoverUrl(assetId: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setUrl(null);
    if (assetId) void loadCover(assetId).then((u) => alive && setUrl(u));
    return () => {
      alive = false;
    };
  }, [assetId]);
  return url;
}

export function Cover({ title, assetId, className }: { title: string; assetId: string | null; className?: string }) {
  const url = useCoverUrl(assetId);
  const [from, to] = PALETTES[hash(title) % PALETTES.length]!;
  const motif = hash(title) % 3;
  return (
    <div className={`cover${className ? ` ${className}` : ''}`} style={{ background: `linear-gradient(160deg, ${from}, ${to})` }}>
      {url ? (
        <img src={url} alt="" loading="lazy" decoding="async" />
      ) : (
        <svg viewBox="0 0 100 100" className="cover-art" aria-hidden="true">
          {motif === 0 && <path d="M64 60a22 22 0 1 1-20-30 17 17 0 0 0 20 30Z" fill="rgba(255,250,240,.9)" />}
          {motif === 1 && (
            <g fill="rgba(255,250,240,.9)">
              <circle cx="50" cy="46" r="16" />
              <rect x="20" y="68" width="60" height="6" rx="3" />
            </g>
          )}
          {motif === 2 && <path d="M50 24l7 15 16 2-12 11 3 16-14-8-14 8 3-16-12-11 16-2Z" fill="rgba(255,250,240,.9)" />}
          <circle cx="20" cy="20" r="2.5" fill="rgba(255,255,255,.7)" />
          <circle cx="82" cy="30" r="2" fill="rgba(255,255,255,.6)" />
          <circle cx="76" cy="82" r="1.6" fill="rgba(255,255,255,.6)" />
        </svg>
      )}
    </div>
  );
}
