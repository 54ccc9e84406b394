/**
 * Fetches one asset whole (a plain GET of its signed URL, never media range
 * requests), reporting progress as bytes arrive.
 */
import { apiFetch } from '../app/api.ts';

interface SignedUrl {
  url: string;
  mime_type: string;
  size_bytes: number;
}

export async function fetchAssetWhole(assetId: string, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<{ blob: Blob; mimeType: string }> {
  const signed = await apiFetch<SignedUrl>(`/api/assets/${assetId}/download`, { signal });
  const res = await fetch(signed.url, { signal, credentials: 'same-origin' });
  if (!res.ok || !res.body) throw new Error(`Download failed (HTTP ${res.status})`);
  const total = Number(res.headers.get('content-length') ?? signed.size_bytes) || signed.size_bytes;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) break;
    chunks.push(value);
    done += value.byteLength;
    onProgress(done, total);
  }
  return { blob: new Blob(chunks as BlobPart[], { type: signed.mime_type }), mimeType: signed.mime_type };
}
