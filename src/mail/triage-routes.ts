// Mail way in: the triage outputs — GET /triage (a small server-rendered page), GET /api/triage (JSON),
// GET /api/triage/series/:key, GET /api/triage/patch/:mailId (one mail's triage record: the link Patchwork
// checks point at), GET /api/triage/patch/:mailId/reply.eml (a reply draft).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.js';
import { assembleSeries, type SeriesRecord } from './series.js';
import type { PatchTriage } from './triage.js';
import type { MailTriage } from './review-mail.js';
import { replyDraft, type ReplyDraftOptions } from './reply-draft.js';
import { readPatches } from '../ingest/read-input.js';
import { renderTriagePage } from './triage-page.js';
import { sendJson } from '../http/respond.js';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** What the page and the API show: series newest first, with each patch's record and mail id. */
export interface TriageView {
  series: (SeriesRecord & { mails: { mailId: number; triage: PatchTriage }[] })[];
  counts: Record<string, number>;
}

/** Builds the view from every reviewed mail (series are assembled on read: they change as mails arrive). */
export async function triageView(store: Store, filter: { tree?: string; relevantOnly?: boolean } = {}): Promise<TriageView> {
  const rows = (await store.listTriage()) as { mailId: number; triage: MailTriage }[];
  const byMessage = new Map<string, { mailId: number; triage: PatchTriage }>();
  const all: PatchTriage[] = [];
  for (const r of rows) {
    for (const p of r.triage.patches ?? []) {
      all.push(p);
      if (p.messageId) byMessage.set(p.messageId, { mailId: r.mailId, triage: p });
    }
  }
  const series = assembleSeries(all)
    .filter((s) => !filter.tree || s.tree === filter.tree || s.treeName === filter.tree)
    .filter((s) => !filter.relevantOnly || s.relevant)
    .sort((a, b) => b.firstOrdinal - a.firstOrdinal)
    .map((s) => ({
      ...s,
      mails: s.patches.flatMap((p) => {
        const hit = p.messageId ? byMessage.get(p.messageId) : undefined;
        return hit ? [hit] : [];
      }),
    }));
  return { series, counts: await store.counts() };
}

const json = (res: ServerResponse, status: number, body: unknown): void => sendJson(res, status, body, { pretty: true });

/** `From:` of reply drafts when none is configured. */
export const DEFAULT_REPLY_FROM = 'netdev-review <netdev-review@localhost>';

/**
 * The reply draft for a stored mail: to its first patch with findings. Undefined when there is no
 * such mail, it is not reviewed, or none of its patches has a finding. The GET route and the send
 * route both use it, so what is sent is what the download shows.
 */
export async function draftFor(store: Store, mailId: number, options: ReplyDraftOptions): Promise<{ mailId: number; eml: string } | undefined> {
  const mail = await store.getMail(mailId);
  const triage = (await store.getTriage(mailId)) as MailTriage | undefined;
  const first = triage?.patches?.find((p) => p.findings.length > 0);
  if (!mail || !triage || !first) return undefined;
  const patches = await readPatches(mail.raw, `mail ${mail.id}`);
  const patch = patches.find((p) => p.messageId === first.messageId) ?? patches[0];
  if (!patch) return undefined;
  return { mailId: mail.id, eml: replyDraft(patch, patch.diff, first, options) };
}

/** The routes, bound to a store. `replyCc`: addresses every reply draft copies (the list). */
export function triageRoutes(store: Store, options: { replyFrom?: string; replyCc?: string[] } = {}): Route[] {
  const filterOf = (url: URL) => ({ tree: url.searchParams.get('tree') || undefined, relevantOnly: url.searchParams.get('relevant') === '1' });
  return [
    async (_req, res, url) => {
      if (url.pathname !== '/triage') return false;
      const view = await triageView(store, filterOf(url));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderTriagePage(view, filterOf(url)));
      return true;
    },
    async (_req, res, url) => {
      if (url.pathname !== '/api/triage') return false;
      json(res, 200, await triageView(store, filterOf(url)));
      return true;
    },
    async (_req, res, url) => {
      const m = /^\/api\/triage\/series\/(.+)$/.exec(url.pathname);
      if (!m) return false;
      const key = decodeURIComponent(m[1]);
      const hit = (await triageView(store)).series.find((s) => s.key === key);
      if (!hit) json(res, 404, { error: `no series ${key}` });
      else json(res, 200, hit);
      return true;
    },
    async (_req, res, url) => {
      const m = /^\/api\/triage\/patch\/(\d+)$/.exec(url.pathname);
      if (!m) return false;
      const id = Number(m[1]);
      const triage = await store.getTriage(id);
      if (triage) {
        json(res, 200, triage);
        return true;
      }
      // Stored but not (yet, or ever) reviewed: say where it is and, for a failed one, why.
      const mail = await store.getMail(id);
      if (!mail) json(res, 404, { error: 'no reviewed mail under that id' });
      else json(res, 404, { error: `mail ${id} is ${mail.state}, not reviewed`, state: mail.state, reason: mail.reason });
      return true;
    },
    async (_req, res, url) => {
      const m = /^\/api\/triage\/patch\/(\d+)\/reply\.eml$/.exec(url.pathname);
      if (!m) return false;
      const draft = await draftFor(store, Number(m[1]), { from: options.replyFrom ?? DEFAULT_REPLY_FROM, cc: options.replyCc });
      if (!draft) {
        json(res, 404, { error: 'no reviewed patch with findings under that id' });
        return true;
      }
      res.writeHead(200, { 'content-type': 'message/rfc822; charset=utf-8', 'content-disposition': `attachment; filename="reply-${draft.mailId}.eml"` }).end(draft.eml);
      return true;
    },
  ];
}
