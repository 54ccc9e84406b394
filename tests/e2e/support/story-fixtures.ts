/**
 * A narrated story the way the pipeline leaves one: the MP3 and the cover
 * uploaded through the real API, the story created through the real API, and
 * then approved — the moderation worker's single step, done here as the
 * owner in the tenant's RLS context.
 */
import { PNG } from 'pngjs';
import type pg from 'pg';
import { toneMp3 } from '../../providers/audio-fixtures.ts';

export function coverPng(seed: number): Buffer {
  const png = new PNG({ width: 64, height: 64 });
  for (let i = 0; i < 64 * 64; i++) {
    png.data[i * 4] = (seed * 53 + i) % 256;
    png.data[i * 4 + 1] = 120 + ((i >> 6) % 100);
    png.data[i * 4 + 2] = (seed * 97) % 256;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

async function upload(baseUrl: string, token: string, bytes: Buffer, name: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${baseUrl}/api/assets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { data?: { id: string }; message?: string };
  if (res.status >= 300 || !body.data) throw new Error(`upload ${name} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
}

export interface NarratedStory {
  id: string;
  audioAssetId: string;
  imageAssetId: string;
  bytes: number;
}

export async function createNarratedStory(
  baseUrl: string,
  token: string,
  owner: pg.Client,
  tenantId: string,
  fields: { title: string; ageRange: string; seconds?: number; seed?: number; cover?: Uint8Array; description?: string; language?: string },
): Promise<NarratedStory> {
  const mp3 = toneMp3(fields.seconds ?? 30);
  const audioAssetId = await upload(baseUrl, token, mp3, 'story.mp3', 'audio/mpeg');
  const imageAssetId = await upload(baseUrl, token, fields.cover ? Buffer.from(fields.cover) : coverPng(fields.seed ?? 1), 'cover.png', 'image/png');
  const res = await fetch(`${baseUrl}/api/stories`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: fields.title,
      description: fields.description ?? 'A gentle story for the tests.',
      content: 'Once upon a time, a test played a tone.',
      language: fields.language ?? 'en',
      age_range: fields.ageRange,
      visibility: 'tenant_only',
      is_published: true,
      audio_asset_id: audioAssetId,
      image_asset_id: imageAssetId,
    }),
  });
  const body = (await res.json()) as { data?: { id: string } };
  if (res.status >= 300 || !body.data) throw new Error(`create story failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  await owner.query('BEGIN');
  await owner.query(`SELECT set_config('app.tenant', $1, true)`, [tenantId]);
  await owner.query(`UPDATE stories SET moderation_status = 'approved', duration_seconds = $2 WHERE id = $1`, [body.data.id, fields.seconds ?? 30]);
  await owner.query('COMMIT');
  return { id: body.data.id, audioAssetId, imageAssetId, bytes: mp3.length };
}
