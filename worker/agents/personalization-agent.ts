/**
 * PersonalizationAgent: recommendations for one member (a kid, usually)
 * from their listening_events. Each story they listened to weighs by
 * recency (halving every two weeks); a candidate story scores by the tags,
 * language and age range it shares with those weighted stories, a little
 * for being new, and more for having been started and not finished ("keep
 * listening"). Finished stories are left out, and so is anything the member
 * may not see (their profile's limits, the tenant's policies), judged by
 * the same predicate the server's story list uses.
 */
import type { Tx } from '../../server/db/database.ts';
import { SqlParams } from '../../server/services/sql-params.ts';
import { storyVisibleTo } from '../../server/services/story-visibility.ts';
import type { Viewer } from '../../shapes/viewer.ts';
import type { AgentStep } from './agent-step.ts';
import { viewerFor } from './requester-viewer.ts';

const HALF_LIFE_DAYS = 14;

interface Candidate {
  id: string;
  title: string;
  language: string;
  age_range: string;
  duration_seconds: number | null;
  image_asset_id: string | null;
  score: number;
  started: boolean;
  shared_tags: string[];
}

export const personalizationAgent: AgentStep = {
  activity: 'personalization',
  async run(_deps, task, input) {
    if (input.agent_type !== 'PersonalizationAgent') throw new Error(`personalizationAgent got a ${input.agent_type} task`);
    const userId = input.input.user_id ?? task.requested_by;
    return {
      usage: [],
      apply: async (tx) => {
        const viewer = await viewerFor(tx, task.tenant_id, userId, 'The member to recommend for');
        const history = await tx.one<{ listened: number; finished: number }>(
          `SELECT count(DISTINCT story_id)::int AS listened, count(DISTINCT story_id) FILTER (WHERE event_kind = 'complete')::int AS finished
           FROM listening_events WHERE tenant_id = $1 AND user_id = $2`,
          [task.tenant_id, viewer.userId],
        );
        const candidates = await recommend(tx, viewer, input.input.limit);
        return {
          user_id: viewer.userId,
          based_on: { stories_listened: history.listened, stories_finished: history.finished, half_life_days: HALF_LIFE_DAYS },
          recommendations: candidates.map((c) => ({
            story_id: c.id,
            title: c.title,
            language: c.language,
            age_range: c.age_range,
            duration_seconds: c.duration_seconds,
            image_asset_id: c.image_asset_id,
            score: Math.round(c.score * 1000) / 1000,
            reason: reasonFor(c, viewer.displayName),
          })),
        };
      },
    };
  },
};

async function recommend(tx: Tx, viewer: Viewer, limit: number): Promise<Candidate[]> {
  const p = new SqlParams();
  const tenant = p.add(viewer.tenantId);
  const user = p.add(viewer.userId);
  const halfLife = p.add(HALF_LIFE_DAYS * 86_400);
  return tx.query<Candidate>(
    `WITH listened AS (
       SELECT e.story_id, bool_or(e.event_kind = 'complete') AS finished,
              exp(-ln(2) * extract(epoch FROM now() - max(e.occurred_at)) / ${halfLife}::float8) AS weight
       FROM listening_events e WHERE e.tenant_id = ${tenant}::uuid AND e.user_id = ${user}::uuid
       GROUP BY e.story_id),
     total AS (SELECT nullif(sum(weight), 0) AS w FROM listened),
     liked_tags AS (SELECT st.tag_id, sum(l.weight) AS w FROM listened l JOIN story_tags st ON st.story_id = l.story_id GROUP BY st.tag_id),
     liked_languages AS (SELECT split_part(s.language, '-', 1) AS language, sum(l.weight) AS w FROM listened l JOIN stories s ON s.id = l.story_id GROUP BY 1),
     liked_ages AS (SELECT s.age_range, sum(l.weight) AS w FROM listened l JOIN stories s ON s.id = l.story_id GROUP BY 1),
     scored AS (
       SELECT s.id, s.title, s.language, s.age_range, s.duration_seconds, s.image_asset_id, s.published_at,
              EXISTS (SELECT 1 FROM listened l WHERE l.story_id = s.id) AS started,
              coalesce((SELECT sum(lt.w) FROM story_tags st JOIN liked_tags lt ON lt.tag_id = st.tag_id WHERE st.story_id = s.id), 0) AS tag_w,
              coalesce((SELECT ll.w FROM liked_languages ll WHERE ll.language = split_part(s.language, '-', 1)), 0) AS language_w,
              coalesce((SELECT la.w FROM liked_ages la WHERE la.age_range = s.age_range), 0) AS age_w,
              coalesce((SELECT array_agg(t.name ORDER BY lt.w DESC, t.name) FROM story_tags st JOIN liked_tags lt ON lt.tag_id = st.tag_id
                        JOIN tags t ON t.id = st.tag_id WHERE st.story_id = s.id), '{}') AS shared_tags
       FROM stories s
       WHERE ${storyVisibleTo(viewer, p)} AND s.is_published AND s.moderation_status = 'approved'
         AND s.id NOT IN (SELECT story_id FROM listened WHERE finished))
     SELECT id, title, language, age_range, duration_seconds, image_asset_id, started, shared_tags,
            (coalesce(2 * tag_w / (SELECT w FROM total), 0)
             + coalesce(language_w / (SELECT w FROM total), 0)
             + coalesce(age_w / (SELECT w FROM total), 0)
             + CASE WHEN started THEN 1 ELSE 0 END
             + 0.3 * exp(-extract(epoch FROM now() - coalesce(published_at, now())) / (30 * 86400.0)))::float8 AS score
     FROM scored
     ORDER BY score DESC, published_at DESC NULLS LAST, id
     LIMIT ${p.add(limit)}`,
    p.values,
  );
}

function reasonFor(c: Candidate, name: string): string {
  if (c.started) return `${name} started this one and has not finished it yet.`;
  if (c.shared_tags.length > 0) return `${name} enjoyed stories about ${c.shared_tags.slice(0, 2).join(' and ').toLowerCase()}.`;
  return 'New in the library.';
}
