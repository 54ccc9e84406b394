/** Row types of the replica's views and tables, as the app reads them. */

export interface StoryRow {
  id: string;
  tenant_id: string | null;
  title: string;
  description: string | null;
  content: string | null;
  image_asset_id: string | null;
  audio_asset_id: string | null;
  language: string | null;
  age_range: string | null;
  duration_seconds: number | null;
  reading_level: string | null;
  created_by: string | null;
  visibility: 'public' | 'tenant_only' | 'private' | null;
  is_published: boolean | null;
  moderation_status: 'pending' | 'approved' | 'flagged' | 'rejected' | null;
  created_at: string | Date | null;
  updated_at: string | Date | null;
  _pending: boolean;
}

export interface OfflineFileRow {
  story_id: string;
  audio_asset_id: string | null;
  image_asset_id: string | null;
  status: 'queued' | 'downloading' | 'ready' | 'failed';
  bytes_total: number;
  bytes_done: number;
  automatic: boolean;
  error: string | null;
  ready_at: string | Date | null;
  last_played_at: string | Date | null;
}

export interface AgentTaskRow {
  id: string;
  agent_type: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  error: string | null;
  story_id: string | null;
  parent_task_id: string | null;
  created_at: string | Date;
  updated_at: string | Date | null;
  _pending: boolean;
}

export interface OutboxRow {
  seq: number;
  write_id: string;
  mutation_type: string;
  entity_table: string;
  entity_key: string;
  status: 'pending' | 'accepted' | 'rejected';
  message: string | null;
  last_error: string | null;
  attempts: number;
  created_at: string | Date;
}

/** The columns a story card needs. */
export const STORY_CARD_COLUMNS = `s.id, s.title, s.description, s.image_asset_id, s.audio_asset_id, s.language, s.age_range, s.duration_seconds, s.visibility, s.is_published, s.moderation_status, s.created_by, s.created_at, s._pending`;
