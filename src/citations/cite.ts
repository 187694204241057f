// Citations stage: resolve a rule's DocRef to the section (and entry) of the document the target kernel ships, with a link to it.

import type { Citation, DocRef } from '../engine/finding.js';
import { compareKernelVersions, parseKernelVersion, type KernelVersion } from '../kernel/version.js';
import { subsectionForTopic } from './aliases.js';
import { OLDEST_TAG, RST_SINCE, SUBSECTION_SINCE, atLeast, entryAt, sectionSince, sectionTitleAt } from './doc-history.js';
import { locate, type DocLocation, type NetdevDoc } from './document.js';
import { kernelLockingUrl, publishedDocUrl, treeFileUrl, versionLabel } from './links.js';
import { makeSphinxId } from './sphinx-id.js';

/** What a citation is resolved against. */
export interface CitationContext {
  /** The kernel the change targets (see target-version.ts). */
  version: KernelVersion;
  /** The target tree's own document, when at hand: it wins over anything known about releases. */
  document?: NetdevDoc;
}

/**
 * The oldest release taken to publish Documentation/kernel-hacking/locking.rst as HTML: the
 * DocBook kernel-locking guide was converted to reST around v4.13. Not pinned to a commit; an
 * older target is pointed at this release.
 */
const LOCKING_GUIDE_SINCE: KernelVersion = parseKernelVersion('4.13') ?? { kind: 'mainline' };

/** Resolves `ref` for the target: the tree's document when it has the section, else the published docs of that release (or the oldest that has it). */
export function cite(ref: DocRef, ctx: CitationContext): Citation {
  if (ref.section === 'kernel-locking') return citeLockingGuide(ref, ctx.version);
  const doc = ctx.document;
  if (doc) {
    const loc = locate(doc, ref);
    if (loc) return fromDocument(doc, loc, ctx.version);
  }
  const version = doc?.origin.kind === 'published' ? doc.origin.version : ctx.version;
  return fromHistory(ref, version, doc !== undefined);
}

function fromDocument(doc: NetdevDoc, loc: DocLocation, target: KernelVersion): Citation {
  const version = doc.origin.kind === 'published' ? doc.origin.version : target;
  const heading = loc.subsection ?? loc.section;
  // A guessed line number is worse than none: leave lines out of flattened or incomplete texts.
  const exact = doc.exactLineNumbers;
  let url: string;
  if (doc.origin.kind === 'tree' && doc.origin.permalink && exact) url = doc.origin.permalink(loc.start, loc.end);
  else if (atLeast(version, RST_SINCE)) url = publishedDocUrl(version, heading.anchor);
  else url = treeFileUrl(version, documentPath(doc), exact ? loc.start : undefined);
  const entry = loc.entry?.text ?? loc.subsection?.title;
  return {
    section: loc.section.title,
    ...(entry ? { entry } : {}),
    url,
    docLabel: doc.origin.kind === 'tree' ? doc.origin.label : versionLabel(version),
    ...(exact ? { lines: { start: loc.start, end: loc.end } } : {}),
  };
}

function documentPath(doc: NetdevDoc): string {
  if (doc.origin.kind === 'tree') return doc.origin.path;
  return `Documentation/networking/netdevices.${doc.format}`;
}

function fromHistory(ref: DocRef, version: KernelVersion, treeLacksIt: boolean): Citation {
  if (ref.section === 'kernel-locking') return citeLockingGuide(ref, version);
  const topic = ref.entry ? subsectionForTopic(ref.section, ref.entry) : undefined;
  // Before 2.6.24 NAPI's poll was an entry of the synchronization rules: cite it there.
  const early = ref.entry && !topic ? entryAt(ref.entry, version) : undefined;
  const key = early?.section ?? ref.section;

  let minimum = sectionSince(key);
  const topicSince = topic ? SUBSECTION_SINCE.get(topic.title) : undefined;
  if (topic?.newOnly && topicSince && compareKernelVersions(topicSince, minimum) > 0) minimum = topicSince;

  let at = version;
  let note: string | undefined;
  if (version.kind === 'release' && compareKernelVersions(version, minimum) < 0) {
    at = minimum;
    note =
      compareKernelVersions(version, OLDEST_TAG) < 0 && compareKernelVersions(minimum, OLDEST_TAG) === 0
        ? `oldest tagged tree; ${versionLabel(version)} predates git`
        : `section not in ${versionLabel(version)}`;
    if (key === 'lifetime' && version.major === 5 && version.minor === 10) note += '; later 5.10.y stable releases carry it';
  } else if (treeLacksIt) {
    note = "section not in the tree's document";
  }

  const title = sectionTitleAt(key, at) ?? sectionTitleAt(key, minimum) ?? ref.section;
  let anchor = makeSphinxId(title);
  let entry: string | undefined;
  if (topic) {
    const since = SUBSECTION_SINCE.get(topic.title);
    if (at.kind === 'mainline' || (since && atLeast(at, since))) {
      entry = topic.title;
      anchor = makeSphinxId(topic.title);
    }
  } else if (ref.entry) {
    entry = entryAt(ref.entry, at)?.name;
  }

  const url = atLeast(at, RST_SINCE) ? publishedDocUrl(at, anchor) : treeFileUrl(at, 'Documentation/networking/netdevices.txt');
  return {
    section: title,
    ...(entry ? { entry } : {}),
    url,
    docLabel: `${versionLabel(at)}${note ? ` (${note})` : ''}`,
  };
}

function citeLockingGuide(ref: DocRef, version: KernelVersion): Citation {
  const old = version.kind === 'release' && compareKernelVersions(version, LOCKING_GUIDE_SINCE) < 0;
  const at = old ? LOCKING_GUIDE_SINCE : version;
  return {
    section: 'Unreliable Guide To Locking',
    ...(ref.entry ? { entry: ref.entry } : {}),
    url: kernelLockingUrl(at, ref.entry ? makeSphinxId(ref.entry) : undefined),
    docLabel: `${versionLabel(at)}${old ? ` (not published for ${versionLabel(version)})` : ''}`,
  };
}
