// Mail way in: Patchwork checks — after a mail is reviewed, each reviewed patch gets one check
// (context `netdev-review`) on the Patchwork instance that tracks the list, found by its Message-ID.

import type { MailTriage } from './review-mail.js';
import type { PatchTriage } from './triage.js';

/** The check context: one line per tool in Patchwork's checks table. */
export const PATCHWORK_CONTEXT = 'netdev-review';

/** Patchwork's check states this tool uses (it never posts `pending`). */
export type CheckState = 'success' | 'warning' | 'fail';

/** What happened to one reviewed patch of the mail. */
export type PatchworkResult =
  | { messageId: string; outcome: 'posted'; patchId: number; state: CheckState }
  /** Patchwork has no patch with that Message-ID (not on a tracked list, or not parsed yet). */
  | { messageId: string; outcome: 'not-found' }
  /** The look-up or the post failed (HTTP error, timeout, unreachable); `patchId` when the look-up worked. */
  | { messageId: string; outcome: 'error'; patchId?: number; error: string };

export interface PatchworkOptions {
  /** Base URL of the Patchwork instance, e.g. `https://patchwork.kernel.org` (no `/api`). */
  url: string;
  /** API token of a user allowed to add checks. Sent as `Authorization: Token …`, never logged. */
  token: string;
  /** Base URL this server is reachable at, for the check's `target_url`. */
  publicUrl: string;
  /** Only patches of this Patchwork project (its link name, e.g. `netdevbpf`), when set. */
  project?: string;
  log?: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** Per request; default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PatchworkReporter {
  /** Posts one check per reviewed patch of the mail. Never throws: failures are logged and returned. */
  report(triage: MailTriage): Promise<PatchworkResult[]>;
}

/** Patchwork stores `description` as text but shows it on one line; keep it short. */
const MAX_DESCRIPTION = 255;

/** `fail` with an error, `warning` with a warning, else `success` (infos alone do not warn). */
export function checkState(patch: Pick<PatchTriage, 'counts'>): CheckState {
  if (patch.counts.error > 0) return 'fail';
  if (patch.counts.warning > 0) return 'warning';
  return 'success';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 errors, 1 warning: netdev-free-api, netdev-napi-del" — the counts, then the rule ids that fired (errors first). */
export function checkDescription(patch: Pick<PatchTriage, 'counts' | 'findings'>): string {
  const { error, warning, info } = patch.counts;
  const parts = [error && plural(error, 'error'), warning && plural(warning, 'warning'), info && plural(info, 'info')].filter(Boolean);
  if (parts.length === 0) return 'no findings';
  const order = { error: 0, warning: 1, info: 2 } as const;
  const rules = [...new Set([...patch.findings].sort((a, b) => order[a.severity] - order[b.severity]).map((f) => f.ruleId))];
  let text = parts.join(', ');
  if (rules.length > 0) text += `: ${rules.join(', ')}`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The Message-ID as Patchwork's `msgid` filter wants it: without the angle brackets. */
const bare = (messageId: string) => messageId.trim().replace(/^<|>$/g, '');

/** Patchwork answers a list (paginated by Link headers); an object with `results` is accepted too. */
function patchIds(body: unknown): number[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { results?: unknown }).results) ? (body as { results: unknown[] }).results : undefined;
  if (!list) throw new Error('patch list is not a JSON array');
  return list.flatMap((p) => (p && typeof p === 'object' && Number.isInteger((p as { id?: unknown }).id) ? [(p as { id: number }).id] : []));
}

export function createPatchworkReporter(options: PatchworkOptions): PatchworkReporter {
  const base = options.url.replace(/\/+$/, '');
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = { authorization: `Token ${options.token}`, accept: 'application/json' };

  /** The response body as JSON, or an error naming the status (never the request headers). */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}${text ? ` ${text.slice(0, 200)}` : ''}`);
    return text ? JSON.parse(text) : undefined;
  }

  const reason = (error: unknown) => (error instanceof Error ? (error.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : error.message) : String(error));

  async function reportPatch(mailId: number, patch: PatchTriage & { messageId: string }): Promise<PatchworkResult[]> {
    const messageId = patch.messageId;
    const query = new URLSearchParams({ msgid: bare(messageId) });
    if (options.project) query.set('project', options.project);
    let ids: number[];
    try {
      ids = patchIds(await call('GET', `/api/patches/?${query}`));
    } catch (error) {
      options.log?.error({ mail: mailId, messageId, error: reason(error) }, 'patchwork: patch look-up failed');
      return [{ messageId, outcome: 'error', error: reason(error) }];
    }
    if (ids.length === 0) {
      options.log?.info({ mail: mailId, messageId }, 'patchwork: no patch with this Message-ID');
      return [{ messageId, outcome: 'not-found' }];
    }
    const state = checkState(patch);
    const check = {
      state,
      context: PATCHWORK_CONTEXT,
      description: checkDescription(patch),
      target_url: `${publicUrl}/api/triage/patch/${mailId}`,
    };
    // The same mail can be tracked by several projects of one instance: each copy gets the check.
    const out: PatchworkResult[] = [];
    for (const patchId of ids) {
      try {
        await call('POST', `/api/patches/${patchId}/checks/`, check);
        options.log?.info({ mail: mailId, messageId, patchId, state }, 'patchwork: check posted');
        out.push({ messageId, outcome: 'posted', patchId, state });
      } catch (error) {
        options.log?.error({ mail: mailId, messageId, patchId, error: reason(error) }, 'patchwork: check post failed');
        out.push({ messageId, outcome: 'error', patchId, error: reason(error) });
      }
    }
    return out;
  }

  return {
    async report(triage) {
      const out: PatchworkResult[] = [];
      for (const patch of triage.patches ?? []) {
        // Replies, cover letters and mails without a diff were not reviewed: nothing to say about them.
        if (!patch.reviewed || !patch.messageId) continue;
        out.push(...(await reportPatch(triage.mailId, { ...patch, messageId: patch.messageId })));
      }
      return out;
    },
  };
}
