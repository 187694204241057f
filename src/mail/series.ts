// Mail stage: groups triage records of list mails into series (thread + subject numbering), marks superseded revisions.

import type { Patch } from '../ingest/patch.js';
import { zeroCounts, type PatchTriage, type SeverityCounts, type TriageTree } from './triage.js';

/** One patch of a series as the triage page lists it. */
export interface SeriesPatch {
  messageId?: string;
  /** Position in the series (1-based); 1 for a lone patch without n/m. */
  index: number;
  relevant: boolean;
  counts: SeverityCounts;
}

/** A series: a cover letter (or pull request) and its patches, or a lone patch. */
export interface SeriesRecord {
  /** Message id of the series' head (cover letter, first patch, or the mail they all answer), plus the revision. */
  key: string;
  /** The cover letter's title, else the first patch's. */
  title: string;
  author?: string;
  tree: TriageTree;
  treeName?: string;
  stableVersion?: string;
  revision: number;
  /** Patches the subject numbering announces (`N` of `n/N`); 1 for a lone patch. */
  total: number;
  /** Patches present in the archive, in index order. */
  patches: SeriesPatch[];
  /** Message id of the cover letter (or `git request-pull` mail) when it arrived. */
  coverLetter?: string;
  /** True when the head is a `git request-pull` mail: a maintainer's pull, not a submission. */
  pullRequest: boolean;
  /** Replies in the series' threads (discussion: counted, never reviewed). */
  replies: number;
  /** Key of the newer revision (or resend) of the same series, when one arrived. */
  supersededBy?: string;
  /** Any patch relevant (touches net_device lifetime / ndo / NAPI). */
  relevant: boolean;
  /** Findings per severity over all patches. */
  counts: SeverityCounts;
  /** Arrival position of the series' first mail, for ordering. */
  firstOrdinal: number;
}

/** What `seriesHead` and `seriesKey` need of a mail: its ids and subject numbering. */
type Threaded = Pick<PatchTriage, 'messageId' | 'inReplyTo' | 'kind' | 'revision' | 'index' | 'total' | 'ordinal'>;

/** Kinds that start a series: their own message is the thread head. */
const HEAD_KINDS: ReadonlySet<Patch['kind']> = new Set(['cover-letter', 'pull-request']);

/**
 * The key of the series a mail belongs to, from the mail alone: the message id of the series'
 * head plus the revision. A cover letter, a lone patch or a patch `1/N` that answers nothing is
 * its own head; a numbered patch that answers a mail (git send-email's default shallow
 * threading makes every patch answer the cover letter, or patch 1 without one) takes that mail
 * as head. The revision is part of the key because a `v2` is often sent in reply to the `v1`
 * thread, and must still be a series of its own. `assembleSeries` refines this with the other
 * mails (deep threading, a `v2 1/N` answering the `v1`).
 */
export function seriesKey(patch: Pick<Patch, 'messageId' | 'inReplyTo' | 'kind' | 'tags' | 'ordinal'>): string {
  return keyOf(seriesHeadAlone({
    messageId: patch.messageId,
    inReplyTo: patch.inReplyTo,
    kind: patch.kind,
    revision: patch.tags.revision,
    index: patch.tags.index,
    total: patch.tags.total,
    ordinal: patch.ordinal,
  }), patch.tags.revision);
}

function keyOf(head: string, revision: number): string {
  return `${head}#v${revision}`;
}

/** Without a message id a mail can only head its own series; its arrival position names it. */
function ownId(m: Threaded): string {
  return m.messageId ?? `ordinal:${m.ordinal}`;
}

function seriesHeadAlone(m: Threaded): string {
  if (HEAD_KINDS.has(m.kind) || m.index === undefined || m.index === 0) return ownId(m);
  return m.inReplyTo ?? ownId(m);
}

/**
 * The head of a mail's series with every mail known: walks `In-Reply-To` up through mails of
 * the same series (same revision and total, lower index, not a reply), so deep threading
 * (`--chain-reply-to`, patch n answering n-1) lands on the same head as shallow threading.
 * Stops at a cover letter, at a mail of another revision (a `v2` answering the `v1` thread)
 * and at a mail not in the archive — whose id then names the head, so the patches of a series
 * whose cover letter is missing still share one key.
 */
function seriesHead(m: PatchTriage, byId: ReadonlyMap<string, PatchTriage>): string {
  if (HEAD_KINDS.has(m.kind) || m.index === undefined || m.index === 0) return ownId(m);
  let current: PatchTriage = m;
  const seen = new Set<string>();
  for (;;) {
    const parentId = current.inReplyTo;
    if (parentId === undefined || seen.has(parentId)) return ownId(current);
    seen.add(parentId);
    const parent = byId.get(parentId);
    // Unknown parent: a missing cover letter (or an old thread answered by patch 1); its id is
    // what every patch of the series leads to, whether threaded shallow or deep.
    if (parent === undefined) return parentId;
    const sameSeries = parent.kind !== 'reply' && parent.revision === m.revision && parent.total === m.total && parent.index !== undefined && parent.index < (current.index ?? 0);
    if (!sameSeries) return current === m && m.index !== 1 ? parentId : ownId(current);
    if (HEAD_KINDS.has(parent.kind) || parent.index === 0) return ownId(parent);
    current = parent;
  }
}

/** Lower-cased address inside `Name <addr>`, to compare authors who change their display name. */
function address(from: string | undefined): string {
  if (from === undefined) return '';
  const m = /<([^>]+)>/.exec(from);
  return (m?.[1] ?? from).trim().toLowerCase();
}

function sameTitle(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Groups the triage records of many mails into series. Cover letters and `git request-pull`
 * mails give the title; patches join by thread (see `seriesHead`); replies are counted as
 * discussion in the series whose mail they answer (any `References` id), never listed as
 * patches; other mails without a diff belong to no series. A later revision — or a same-revision
 * resend arriving later — of a series with the same title supersedes the earlier one (see `supersedes`).
 */
export function assembleSeries(records: readonly PatchTriage[]): SeriesRecord[] {
  const byId = new Map<string, PatchTriage>();
  for (const r of records) if (r.messageId !== undefined && !byId.has(r.messageId)) byId.set(r.messageId, r);

  const series = new Map<string, SeriesRecord>();
  const keyOfMessage = new Map<string, string>();
  const members = [...records].filter((r) => r.kind === 'patch' || HEAD_KINDS.has(r.kind)).sort((a, b) => a.ordinal - b.ordinal);
  for (const r of members) {
    const key = keyOf(seriesHead(r, byId), r.revision);
    let s = series.get(key);
    if (s === undefined) {
      s = {
        key,
        title: r.title,
        ...(r.from !== undefined ? { author: r.from } : {}),
        tree: r.tree,
        ...(r.treeName !== undefined ? { treeName: r.treeName } : {}),
        ...(r.stableVersion !== undefined ? { stableVersion: r.stableVersion } : {}),
        revision: r.revision,
        total: r.total ?? 1,
        patches: [],
        pullRequest: false,
        replies: 0,
        relevant: false,
        counts: zeroCounts(),
        firstOrdinal: r.ordinal,
      };
      series.set(key, s);
    }
    if (r.messageId !== undefined) keyOfMessage.set(r.messageId, key);
    if (HEAD_KINDS.has(r.kind)) {
      // The cover letter's title wins over the first patch's, whichever arrived first.
      s.title = r.title;
      if (r.from !== undefined) s.author = r.from;
      if (r.messageId !== undefined) s.coverLetter = r.messageId;
      s.pullRequest = r.kind === 'pull-request';
      continue;
    }
    s.patches.push({
      ...(r.messageId !== undefined ? { messageId: r.messageId } : {}),
      index: r.index ?? 1,
      relevant: r.relevant,
      counts: { ...r.counts },
    });
    if (s.coverLetter === undefined && (r.index ?? 1) <= Math.min(...s.patches.map((p) => p.index))) s.title = r.title;
    s.relevant ||= r.relevant;
    for (const sev of ['error', 'warning', 'info'] as const) s.counts[sev] += r.counts[sev];
  }

  for (const r of records) {
    if (r.kind !== 'reply') continue;
    const thread = [r.inReplyTo, ...[...r.references].reverse()];
    const key = thread.map((id) => (id === undefined ? undefined : keyOfMessage.get(id))).find((k) => k !== undefined);
    const s = key === undefined ? undefined : series.get(key);
    if (s) s.replies++;
  }

  const all = [...series.values()].sort((a, b) => a.firstOrdinal - b.firstOrdinal);
  for (const s of all) s.patches.sort((a, b) => a.index - b.index);
  markSuperseded(all);
  return all;
}

/**
 * Whether `newer` is a later revision (or resend) of `older`. The title must match. A higher
 * revision is enough beyond that, because a v2 is often posted by a co-maintainer (the CAN
 * maintainer re-sending a contributor's series as `can-next v2`); a same-revision resend
 * must come later from the same address. Backports to different stable versions share their
 * title but never supersede each other.
 */
function supersedes(newer: SeriesRecord, older: SeriesRecord): boolean {
  if (newer === older || newer.pullRequest || older.pullRequest) return false;
  if (!sameTitle(newer.title, older.title) || newer.stableVersion !== older.stableVersion) return false;
  if (newer.revision > older.revision) return true;
  return newer.revision === older.revision && newer.firstOrdinal > older.firstOrdinal && address(newer.author) === address(older.author);
}

/** Marks each series superseded by the next revision (or resend) of it, so v5 → v6 → v7 reads as a chain. */
function markSuperseded(all: readonly SeriesRecord[]): void {
  const earlier = (a: SeriesRecord, b: SeriesRecord) => a.revision < b.revision || (a.revision === b.revision && a.firstOrdinal < b.firstOrdinal);
  for (const older of all) {
    let next: SeriesRecord | undefined;
    for (const newer of all) if (supersedes(newer, older) && (next === undefined || earlier(newer, next))) next = newer;
    if (next) older.supersededBy = next.key;
  }
}
