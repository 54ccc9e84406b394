/**
 * ModerationAgent: keyword heuristics, plus the language model when one is
 * configured (providers/language). A flagged story is held for a parent:
 * `moderation_status = 'flagged'` with the reasons, which say which words
 * were found so the parent knows what to change. A story an admin rejected
 * stays rejected whatever the check says.
 */
import { modelLanguage, type ModerationVerdict } from './provider-language.ts';
import type { Providers } from '../providers/index.ts';
import type { StepResult } from './step-result.ts';
import { storyText, type StoryRecord } from './story-record.ts';

export interface ModerationOutput {
  flagged: boolean;
  categories: string[];
  reasons: string[];
  /** What the story's moderation status became ('unchanged' when the step left it alone). */
  moderation_status: 'approved' | 'flagged' | 'rejected' | 'unchanged';
}

export interface ModerationOptions {
  /**
   * Set 'approved' on a clean story now. The pipeline leaves that to publish,
   * so a story is never approved before it is complete; a single
   * ModerationAgent task approves at once.
   */
  approveWhenClean: boolean;
}

export async function moderateStory(providers: Providers, story: StoryRecord, options: ModerationOptions): Promise<StepResult<ModerationOutput>> {
  const language = modelLanguage(story.language);
  const { value, usage } = await providers.language.moderate({ title: story.title, text: storyText(story), ...(language ? { language } : {}) });
  return {
    usage: [{ purpose: 'moderation', usage }],
    apply: async (tx) => {
      const status = nextStatus(story, value, options);
      if (status !== 'unchanged') {
        await tx.execute('UPDATE stories SET moderation_status = $3, moderation_reasons = $4 WHERE id = $1 AND tenant_id = $2', [
          story.id, story.tenant_id, status, status === 'flagged' ? value.reasons : [],
        ]);
      }
      return { flagged: value.flagged, categories: value.categories, reasons: value.reasons, moderation_status: status };
    },
  };
}

function nextStatus(story: StoryRecord, verdict: ModerationVerdict, options: ModerationOptions): ModerationOutput['moderation_status'] {
  if (story.moderation_status === 'rejected') return 'unchanged';
  if (verdict.flagged) return 'flagged';
  return options.approveWhenClean ? 'approved' : 'unchanged';
}
