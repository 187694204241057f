// Citations stage: the network-device document of one kernel (any version, .txt or .rst, any wrapping) as headings, sections and callback entries with their lines.

import type { DocRef } from '../engine/finding.js';
import type { KernelVersion } from '../kernel/version.js';
import {
  BARE_ENTRY_NAMES,
  KNOWN_TITLES,
  KNOWN_TITLE_LEVELS,
  entryAliases,
  entryFallbacks,
  sectionKeyOfTitle,
  subsectionForTopic,
  type NetdevSectionKey,
} from './aliases.js';
import { makeSphinxId } from './sphinx-id.js';
import { isUnderline, normalizeTitle, unwrapDocument, type DocLine, type Wrapping } from './unwrap.js';

/** Where the document text came from. */
export type DocOrigin =
  | {
      kind: 'tree';
      /** Path in the tree, e.g. `Documentation/networking/netdevices.rst`. */
      path: string;
      /** Link to lines `startLine..endLine` at the tree's commit, when the caller knows the commit and its host. */
      permalink?: (startLine: number, endLine: number) => string;
      /** Names the tree in messages, e.g. "tree at 1a2b3c4d5e6f". */
      label: string;
    }
  | { kind: 'published'; version: KernelVersion };

/** A heading and the lines it governs. */
export interface DocSection {
  /** The heading as this document writes it. */
  title: string;
  /** Canonical key, when the heading is one of the sections rules cite. */
  key?: NetdevSectionKey;
  /** 1 is the outermost heading style in this document. */
  level: number;
  /** The Sphinx id of the heading on the published page. */
  anchor: string;
  /** First line (the title line) and last non-blank line of the section, 1-based, inclusive. */
  start: number;
  end: number;
  /** Index of the enclosing section in `NetdevDoc.sections`. */
  parent?: number;
  /** Found from the body (the heading line was lost by the wrapping), not from the heading itself. */
  inferred?: boolean;
}

/** One callback entry of a synchronization section (`ndo_start_xmit:`, `dev->poll:`, `ndo_get_stats / ndo_get_stats64:`). */
export interface DocEntry {
  /** The entry line as written, without the colon. */
  text: string;
  /** Each callback the line names. */
  names: string[];
  start: number;
  end: number;
  /** Index of the innermost section holding it (-1 when it sits before every heading). */
  section: number;
}

export interface NetdevDoc {
  origin: DocOrigin;
  format: 'rst' | 'txt';
  wrapping: Wrapping;
  /** False when line numbers are guesses (flattened text, a mail diff that lost lines). */
  exactLineNumbers: boolean;
  /** True when only parts of the document are present (a diff's hunks). */
  partial: boolean;
  lines: readonly DocLine[];
  /** Every heading, in document order. */
  sections: readonly DocSection[];
  entries: readonly DocEntry[];
}

/** Parses the document text (plain or wrapped) into headings, sections and entries with 1-based line ranges. */
export function loadDocument(text: string, origin: DocOrigin): NetdevDoc {
  const un = unwrapDocument(text, KNOWN_TITLES);
  const lines = un.lines;
  const sections = un.wrapping === 'flattened' ? flattenedSections(lines) : headingSections(lines);
  const entries = findEntries(lines, sections, un.wrapping === 'flattened');
  return {
    origin,
    format: detectFormat(text, origin, un.diffPath),
    wrapping: un.wrapping,
    exactLineNumbers: un.exactLineNumbers,
    partial: un.partial,
    lines,
    sections,
    entries,
  };
}

function detectFormat(text: string, origin: DocOrigin, diffPath: string | undefined): 'rst' | 'txt' {
  const path = diffPath ?? (origin.kind === 'tree' ? origin.path : undefined);
  if (path?.endsWith('.rst')) return 'rst';
  if (path?.endsWith('.txt')) return 'txt';
  return /^\s*(?:\|\s*)?(?:\d+\s+)?\.\. (?:SPDX-License-Identifier|code-block)/m.test(text) ? 'rst' : 'txt';
}

// ---------------------------------------------------------------- headings

interface Heading {
  title: string;
  /** Index in `lines` of the title line. */
  at: number;
  /** Index of the overline or title line, whichever comes first: where the previous section ends. */
  top: number;
  level: number;
}

function headingSections(lines: readonly DocLine[]): DocSection[] {
  const headings: Heading[] = [];
  const styles: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const cur = lines[i];
    const next = lines[i + 1];
    if (!cur || !next || next.line !== cur.line + 1) continue;
    const title = cur.text.trimEnd();
    if (title === '' || /^\s/.test(title) || isUnderline(title) || !isUnderline(next.text)) continue;
    const mark = next.text.trim();
    // reST wants the underline at least as long as the title; old .txt files were sloppier.
    if (mark.length < Math.min(title.length, 3) || mark.length < title.length / 2) continue;
    const prev = lines[i - 1];
    const overlined = prev !== undefined && prev.line === cur.line - 1 && isUnderline(prev.text) && prev.text.trim()[0] === mark[0];
    const style = (mark[0] ?? '=') + (overlined ? '/over' : '');
    if (!styles.includes(style)) styles.push(style);
    headings.push({ title: title.trim(), at: i, top: overlined ? i - 1 : i, level: styles.indexOf(style) + 1 });
    i++;
  }
  return toSections(lines, headings);
}

function flattenedSections(lines: readonly DocLine[]): DocSection[] {
  const headings: Heading[] = [];
  lines.forEach((l, i) => {
    const level = KNOWN_TITLE_LEVELS.get(normalizeTitle(l.text));
    if (level !== undefined) headings.push({ title: l.text.trim(), at: i, top: i, level });
  });
  // The MTU heading is a single word, which flattening drops with the underline; its body
  // still opens by naming the Maximum Transfer Unit.
  if (!headings.some((h) => sectionKeyOfTitle(h.title) === 'mtu')) {
    const at = lines.findIndex((l) => /\bMaximum Transfer Unit\b/.test(l.text));
    if (at >= 0) headings.push({ title: 'MTU', at, top: at, level: 2 });
    headings.sort((a, b) => a.at - b.at);
  }
  const sections = toSections(lines, headings);
  for (const s of sections) {
    const l = lines.find((x) => x.line === s.start);
    if (l && normalizeTitle(l.text) !== normalizeTitle(s.title)) s.inferred = true;
  }
  return sections;
}

function toSections(lines: readonly DocLine[], headings: readonly Heading[]): DocSection[] {
  const sections: DocSection[] = [];
  const stack: number[] = [];
  headings.forEach((h, k) => {
    const nextTop = headings.slice(k + 1).find((o) => o.level <= h.level)?.top ?? lines.length;
    const end = lastNonBlank(lines, h.at, nextTop - 1);
    while (stack.length > 0 && (sections[stack[stack.length - 1] ?? 0]?.level ?? 0) >= h.level) stack.pop();
    const key = sectionKeyOfTitle(h.title);
    sections.push({
      title: h.title,
      ...(key ? { key } : {}),
      level: h.level,
      anchor: makeSphinxId(h.title),
      start: lines[h.at]?.line ?? 0,
      end,
      ...(stack.length > 0 ? { parent: stack[stack.length - 1] } : {}),
    });
    stack.push(sections.length - 1);
  });
  return sections;
}

/** The document line number of the last non-blank line among `lines[from..to]` (indices, inclusive). */
function lastNonBlank(lines: readonly DocLine[], from: number, to: number): number {
  for (let i = Math.min(to, lines.length - 1); i > from; i--) {
    const l = lines[i];
    if (l && l.text.trim() !== '') return l.line;
  }
  return lines[from]?.line ?? 0;
}

// ---------------------------------------------------------------- callback entries

const ENTRY_LINE = /^([A-Za-z_]\w*(?:->\w+)?(?:\s*[/,]\s*[A-Za-z_]\w*(?:->\w+)?)*)\s*:\s*$/;

function isCallbackName(name: string): boolean {
  return name.includes('ndo_') || name.includes('->') || BARE_ENTRY_NAMES.has(name);
}

function findEntries(lines: readonly DocLine[], sections: readonly DocSection[], flattened: boolean): DocEntry[] {
  const found: { text: string; names: string[]; at: number }[] = [];
  lines.forEach((l, i) => {
    const m = ENTRY_LINE.exec(l.text);
    if (!m?.[1]) return;
    const names = m[1].split(/\s*[/,]\s*/).filter(Boolean);
    if (names.length > 0 && names.every(isCallbackName)) found.push({ text: m[1], names, at: i });
  });
  const headingLines = new Set(sections.map((s) => s.start));
  return found.map((e) => {
    const line = lines[e.at]?.line ?? 0;
    const section = innermostSection(sections, line);
    const sectionEnd = section >= 0 ? (sections[section]?.end ?? line) : (lines[lines.length - 1]?.line ?? line);
    // An entry's body is indented; the next line back at the margin (another entry, a closing
    // paragraph, a heading) ends it.
    let stop = lines.length;
    for (let i = e.at + 1; i < lines.length; i++) {
      const l = lines[i];
      if (!l) continue;
      if (l.line > sectionEnd || headingLines.has(l.line) || (l.text.trim() !== '' && !/^\s/.test(l.text))) {
        stop = i;
        break;
      }
    }
    // Flattened text lost the indentation that delimits a body: claim only the entry line.
    const end = flattened ? line : lastNonBlank(lines, e.at, stop - 1);
    return { text: e.text, names: e.names, start: line, end, section };
  });
}

function innermostSection(sections: readonly DocSection[], line: number): number {
  let best = -1;
  sections.forEach((s, i) => {
    if (s.start <= line && line <= s.end && (best < 0 || s.level >= (sections[best]?.level ?? 0))) best = i;
  });
  return best;
}

// ---------------------------------------------------------------- lookups

/** The section a key stands for, under whatever heading this document uses. */
export function findSection(doc: NetdevDoc, key: NetdevSectionKey): DocSection | undefined {
  return doc.sections.find((s) => s.key === key);
}

/** The entry listing `name` (any of its old names), preferring entries inside `within`. */
export function findEntry(doc: NetdevDoc, name: string, within?: DocSection): DocEntry | undefined {
  const inside = (e: DocEntry): boolean => !within || (e.start >= within.start && e.start <= within.end);
  for (const candidates of [entryAliases(name), entryFallbacks(name)]) {
    for (const c of candidates) {
      const hit = doc.entries.find((e) => inside(e) && e.names.includes(c)) ?? doc.entries.find((e) => e.names.includes(c));
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Where a reference resolves in this document. */
export interface DocLocation {
  section: DocSection;
  /** The sub-heading cited, when the entry names a topic a subsection covers. */
  subsection?: DocSection;
  entry?: DocEntry;
  start: number;
  end: number;
}

/**
 * Resolves a DocRef against this document: the entry (or an old name of it) when listed, else
 * the subsection about that topic, else the section. Undefined when the document predates what
 * the reference needs (no such section; or a topic only the renamed lifetime section covers).
 */
export function locate(doc: NetdevDoc, ref: DocRef): DocLocation | undefined {
  if (ref.section === 'kernel-locking') return undefined;
  const section = findSection(doc, ref.section);
  if (ref.entry) {
    const entry = findEntry(doc, ref.entry, section);
    if (entry) {
      const holder = doc.sections[entry.section] ?? section;
      if (holder) return { section: topSection(doc, holder), entry, start: entry.start, end: entry.end };
    }
    const topic = subsectionForTopic(ref.section, ref.entry);
    if (topic && section) {
      const sub = doc.sections.find((s) => s.start > section.start && s.start <= section.end && normalizeTitle(s.title) === normalizeTitle(topic.title));
      if (sub) return { section, subsection: sub, start: sub.start, end: sub.end };
      if (topic.newOnly) return undefined;
    }
  }
  return section ? { section, start: section.start, end: section.end } : undefined;
}

/** The keyed section enclosing `s` (entries may sit in a subsection of it). */
function topSection(doc: NetdevDoc, s: DocSection): DocSection {
  let cur: DocSection = s;
  while (!cur.key && cur.parent !== undefined) {
    const p = doc.sections[cur.parent];
    if (!p) break;
    cur = p;
  }
  return cur.key ? cur : s;
}

/** True when the document says `phrase` (case and line breaks ignored), for rules gated on the target's own wording. */
export function docSays(doc: NetdevDoc, phrase: string): boolean {
  const flat = doc.lines.map((l) => l.text.trim()).join(' ').replace(/\s+/g, ' ').toLowerCase();
  return flat.includes(phrase.replace(/\s+/g, ' ').trim().toLowerCase());
}
