/**
 * The offline language model for real: moderation with readable reasons in
 * English and French, metadata (language, level, tags, age, duration),
 * template stories from a parent's words, and search plans.
 */
import { describe, expect, it } from 'vitest';
import * as demo from '../../server/seed/demo-content.ts';
import { DEMO_TAGS, type DemoStory } from '../../server/seed/demo-content.ts';
import { HeuristicLanguageModel } from '../../worker/providers/language/heuristic-language-model.ts';
import { AGE_RANGES, READING_LEVELS } from '../../worker/providers/language/language-model.ts';
import { NARRATION_WORDS_PER_MINUTE } from '../../worker/providers/language/story-metadata.ts';
import { TAG_VOCABULARY } from '../../worker/providers/language/tag-vocabulary.ts';

const model = new HeuristicLanguageModel();
const demoStories = Object.values(demo).filter(Array.isArray).flat().filter((s): s is DemoStory => typeof (s as DemoStory).content === 'string');
const parent = (...texts: string[]) => texts.map((text) => ({ role: 'parent' as const, text }));

describe('moderation', () => {
  it('holds a clearly unsafe English draft, naming what was found and why', async () => {
    const { value } = await model.moderate({ title: 'The bad night', text: 'The man took his gun and killed the dog. There was blood everywhere and he laughed. What the fuck.' });
    expect(value.flagged).toBe(true);
    expect(value.categories).toEqual(expect.arrayContaining(['violence', 'weapons', 'profanity']));
    const violence = value.reasons.find((r) => r.startsWith('Describes violence'));
    expect(violence).toContain('“killed”');
    expect(violence).toMatch(/Stories for children should not/);
  });

  it('holds an unsafe French draft with reasons in French', async () => {
    const { value } = await model.moderate({ text: 'Le loup prit un couteau et tua le petit lapin. Il y avait du sang partout. Putain de merde.' });
    expect(value.flagged).toBe(true);
    expect(value.categories).toEqual(expect.arrayContaining(['violence', 'profanity']));
    expect(value.reasons.join(' ')).toMatch(/Décrit de la violence \(« tua »/);
    expect(value.reasons.join(' ')).toMatch(/gros mots/);
  });

  it('passes every gentle demo story, and a knight with one sword', async () => {
    for (const story of demoStories) {
      const { value } = await model.moderate({ title: story.title, text: story.content });
      expect(value, story.title).toEqual({ flagged: false, categories: [], reasons: [] });
    }
    const { value } = await model.moderate({ text: 'The kind knight put away his sword, shared his bread with the dragon, and they pulled the weeds in the garden together.' });
    expect(value.flagged).toBe(false);
  });

  it('holds a draft once several frightening words pile up', async () => {
    const { value } = await model.moderate({ text: 'The ghost screamed. The monster was terrified of the horror in the cellar.' });
    expect(value.categories).toContain('fear');
  });

  it('flags personal details that should not be in a shareable story', async () => {
    const { value } = await model.moderate({ text: 'Léa lives at 12 rue des Lilas. Call her mum on 06 12 34 56 78.', language: 'fr' });
    expect(value.categories).toEqual(['personal-data']);
    expect(value.reasons[0]).toMatch(/numéro de téléphone/);
    expect(value.reasons[0]).toMatch(/adresse postale/);
  });
});

describe('metadata', () => {
  it('detects French and English on the demo stories', async () => {
    for (const story of demoStories) {
      const { value } = await model.describe({ title: story.title, text: story.content });
      expect(value.language, story.title).toBe(story.language);
    }
  });

  it('describes a story: level and age from the allowed lists, vocabulary tags, duration from the word count', async () => {
    const cat = demoStories.find((s) => s.title === 'The Lighthouse Cat')!;
    const { value, usage } = await model.describe({ title: cat.title, text: cat.content });
    expect(READING_LEVELS).toContain(value.readingLevel);
    expect(AGE_RANGES).toContain(value.ageRange);
    expect(value.tags).toEqual(expect.arrayContaining(['cats', 'sea']));
    expect(value.tags.length).toBeLessThanOrEqual(5);
    expect(value.estimatedDurationSeconds).toBe(Math.round((value.wordCount / NARRATION_WORDS_PER_MINUTE) * 60));
    expect(value.wordCount).toBeGreaterThan(150);
    expect(usage).toEqual({ provider: 'heuristic', model: 'readability-metadata', promptTokens: 0, completionTokens: 0, costUsd: 0 });
  });

  it('reads a tiny toddler story as pre-reader and a dense text as advanced', async () => {
    const toddler = await model.describe({ title: 'Sun', text: 'The sun is up. The cat is up. Hello, sun! Hello, cat!' });
    expect(toddler.value).toMatchObject({ readingLevel: 'pre-reader', ageRange: '0-3' });
    const dense = await model.describe({
      title: 'Photosynthesis',
      text: 'Photosynthesis, the biochemical transformation whereby chlorophyll-containing organisms convert electromagnetic radiation into chemical energy, fundamentally underpins terrestrial ecosystems, atmospheric composition, and, consequently, the evolutionary trajectory of multicellular organisms.',
    });
    expect(dense.value).toMatchObject({ readingLevel: 'advanced', ageRange: '13+' });
  });

  it('uses a tag vocabulary that contains every demo tag, with valid slugs', () => {
    for (const tag of DEMO_TAGS) expect(TAG_VOCABULARY.find((t) => t.slug === tag.slug), tag.slug).toMatchObject({ category: tag.category });
    for (const tag of TAG_VOCABULARY) expect(tag.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('story companion', () => {
  it('writes an English story from what the parent said', async () => {
    const { value } = await model.composeStory(parent('My daughter Léa is scared of the dark. Could you write a story with a fox in the forest for my 5 year old?'));
    const { form } = value;
    expect(form).toMatchObject({ language: 'en', ageRange: '4-6', theme: 'courage' });
    expect(form.title).toContain('Léa');
    expect(form.characters.map((c) => c.name)).toContain('Léa');
    expect(form.characters[1]!.description).toMatch(/fox/);
    expect(form.text).toMatch(/forest/);
    expect(form.text.split('\n\n').length).toBeGreaterThanOrEqual(5);
    expect(form.text.split(/\s+/).length).toBeGreaterThan(120);
    expect(value.reply).toContain(form.title);
    const check = await model.moderate({ title: form.title, text: form.text });
    expect(check.value.flagged).toBe(false);
  });

  it('writes a French story with French agreement from a French request', async () => {
    const { value } = await model.composeStory(parent('Une histoire pour ma fille de 3 ans, avec une licorne nommée Lila qui a peur de l’orage dans le ciel.'));
    const { form } = value;
    expect(form).toMatchObject({ language: 'fr', ageRange: '0-3', theme: 'courage' });
    expect(form.text).toMatch(/^Il était une fois, tout là-haut dans le ciel, une petite licorne qui s’appelait Lila\./);
    expect(form.text).toMatch(/courageuse/);
    expect(value.reply).toMatch(/^Voici « /);
    const metadata = await model.describe({ title: form.title, text: form.text });
    expect(metadata.value.language).toBe('fr');
  });

  it('follows the latest turn, gives older children a longer story, and is deterministic', async () => {
    const turns = parent('A story about sharing with a bear', 'Actually make it a hedgehog, for my 8 year old, in the garden');
    const first = await model.composeStory(turns);
    const again = await model.composeStory(turns);
    expect(again.value).toEqual(first.value);
    expect(first.value.form).toMatchObject({ ageRange: '7-9', theme: 'kindness' });
    expect(first.value.form.text).toMatch(/little hedgehog/);
    const younger = await model.composeStory(parent('A story about sharing with a hedgehog in the garden for my 2 year old'));
    expect(younger.value.form.text.length).toBeLessThan(first.value.form.text.length);
  });
});

describe('search assistant', () => {
  it('turns a question into search words and filters', async () => {
    const { value } = await model.planSearch('a short bedtime story about cats for my 4 year old, in French');
    expect(value).toEqual({ query: 'bedtime cats', filters: { language: 'fr', ageRanges: ['4-6'], maxDurationMinutes: 5, tags: ['cats', 'bedtime'] } });
  });

  it('reads French questions and explicit lengths', async () => {
    const fr = await model.planSearch('Une histoire de dragon pour ma fille de 7 ans');
    expect(fr.value.filters).toEqual({ ageRanges: ['7-9'], tags: ['dragons'] });
    expect(fr.value.query).toBe('dragon');
    const minutes = await model.planSearch('stories under 10 minutes about the sea');
    expect(minutes.value.filters).toMatchObject({ maxDurationMinutes: 10, tags: ['sea'] });
  });
});
