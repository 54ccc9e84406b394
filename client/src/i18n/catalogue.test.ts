/**
 * Every word a person reads comes from the message catalogue, in English
 * and in French:
 *
 * - both catalogues have the same keys and the same {placeholders}, and a
 *   French message is not an English one left untranslated;
 * - no screen writes words past `t()`: the JSX of client/src is parsed and
 *   its text, its user-facing attributes (aria-label, title, placeholder,
 *   alt) and the strings it renders are checked for letters.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './messages-en.ts';
import { fr } from './messages-fr.ts';

const SRC = path.resolve(import.meta.dirname, '..');

/** Words that are the same in every language: names. */
const NAMES = new Set(['Talemo', 'StoryCompanion']);
/** French messages that may equal the English ones: names, numbers, words both languages share. */
const SAME_IN_FRENCH = new Set(['app.name', 'common.minutes', 'story.duration', 'kid.pause', 'kid.volume', 'auth.pairCodeExample', 'admin.actor.system', 'plan.premium', 'plan.status.active']);
const USER_FACING_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-valuetext', 'label']);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const hasWords = (s: string) => /\p{L}{2,}/u.test(s) && !NAMES.has(s.trim());

interface Finding {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx$/.test(e.name) && !/\.test\.tsx$/.test(e.name) ? [p] : [];
  });
}

/** A string that reaches the screen as it is: JSX children, or a branch of a conditional rendered there. */
function rendered(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (parent) {
    if (ts.isJsxExpression(parent)) {
      // `{'text'}` as a child, or as the value of a user-facing attribute.
      const owner = parent.parent;
      if (ts.isJsxAttribute(owner)) return USER_FACING_ATTRIBUTES.has(owner.name.getText());
      return ts.isJsxElement(owner) || ts.isJsxFragment(owner);
    }
    if (ts.isParenthesizedExpression(parent)) {
      child = parent;
      parent = parent.parent;
      continue;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== child) {
      child = parent;
      parent = parent.parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(parent.operatorToken.kind) && parent.right === child) {
      child = parent;
      parent = parent.parent;
      continue;
    }
    return false;
  }
  return false;
}

function literalWords(file: string): Finding[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const report = (node: ts.Node, value: string) =>
    found.push({ file: path.relative(SRC, file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: value.trim().slice(0, 60) });
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer) && USER_FACING_ATTRIBUTES.has(node.name.getText()) && hasWords(node.initializer.text)) {
      report(node, node.initializer.text);
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && hasWords(node.text) && rendered(node)) report(node, node.text);
    // `{ label: 'Sun' }`: a label kept in data and shown later.
    if (ts.isPropertyAssignment(node) && /^(label|title|text|message)$/.test(node.name.getText()) && ts.isStringLiteral(node.initializer) && hasWords(node.initializer.text)) {
      report(node, node.initializer.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the message catalogue', () => {
  it('has the same keys in English and French, and French uses only placeholders English has', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(fr[key].trim(), key).not.toBe('');
      // French may leave out a {detail} that only exists in English (a validator's own words).
      expect(en[key].length === 0 || placeholders(fr[key]).every((p) => placeholders(en[key]).includes(p)), `${key}: ${fr[key]}`).toBe(true);
      if (!/\{detail\}/.test(en[key])) expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('has no English message left untranslated in French', () => {
    const same = (Object.keys(en) as Array<keyof typeof en>).filter((k) => fr[k] === en[k] && !SAME_IN_FRENCH.has(k));
    expect(same).toEqual([]);
  });

  it('is the only source of words on screen (no JSX text, label or rendered string bypasses t())', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(40);
    const findings = files.flatMap(literalWords);
    expect(findings.map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`)).toEqual([]);
  });

  it('notices a string that bypasses t() (the check itself)', () => {
    const dir = fs.mkdtempSync(path.join(SRC, '..', '.catalogue-check-'));
    try {
      const sample = path.join(dir, 'Sample.tsx');
      fs.writeFileSync(
        sample,
        `export const A = ({ ok }: { ok: boolean }) => <div aria-label="Close it" title={'Open it'}>Hello there {ok ? t('x') : 'Adult'}<span>{t('y')}</span>{ok && 'Shown'}</div>;
         const P = [{ id: 'sun', label: 'Sun' }];`,
      );
      expect(literalWords(sample).map((f) => f.text)).toEqual(['Close it', 'Open it', 'Hello there', 'Adult', 'Shown', 'Sun']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
