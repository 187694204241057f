// Server: one HTTP server for both ways in — GitHub webhooks (Probot middleware behind our signature
// check) and patch mails (POST /mail, the triage page and API) — built from explicit options.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Probot } from 'probot';
import { verifySignature } from './signature.js';
import type { Store } from '../store/store.js';
import { handleMailPost } from '../mail/intake.js';
import type { MailWorker } from '../mail/worker.js';
import type { Metrics } from '../ops/metrics.js';
import { readBody, sendJson } from './respond.js';

/** Webhook path Probot uses. */
export const WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** Probot's node middleware: true (or a promise of it) when it handled the request. */
type Middleware = (req: IncomingMessage, res: ServerResponse) => boolean | void | Promise<boolean | void>;
type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface AppServerOptions {
  /** The GitHub App, when configured: Probot and its node middleware, and the webhook secret. */
  github?: { probot: Probot; middleware: Middleware; secret: string };
  /** The mail path, when configured. */
  mail?: { store: Store; secret: string; maxBytes?: number; worker?: MailWorker };
  /** More GET routes (the triage page and API). */
  routes?: Route[];
  /** More POST routes (sending a reply draft, when enabled). */
  postRoutes?: Route[];
  /** Webhook deliveries are counted here by event and outcome when given. */
  metrics?: Metrics;
  log: { info(obj: object | string, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

const send = (res: ServerResponse, status: number, body: object): void => sendJson(res, status, body);

/** Builds the server (not listening yet). */
export function createAppServer(options: AppServerOptions): Server {
  const { github, mail, log, metrics } = options;
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/mail') {
        if (!mail) return send(res, 503, { error: 'the mail path is not configured (set MAIL_WEBHOOK_SECRET)' });
        return handleMailPost(req, res, { store: mail.store, secret: mail.secret, maxBytes: mail.maxBytes, onStored: () => mail.worker?.wake() });
      }
      if (req.method === 'POST' && url.pathname === WEBHOOK_PATH) {
        const event = req.headers['x-github-event'] as string | undefined;
        const counted = (outcome: string) => metrics?.delivery(event, outcome);
        if (!github) {
          counted('not_configured');
          return send(res, 503, { error: 'the GitHub App is not configured (set APP_ID, PRIVATE_KEY, WEBHOOK_SECRET)' });
        }
        const body = await readBody(req, MAX_WEBHOOK_BYTES);
        if (!body) {
          counted('too_large');
          return send(res, 413, { error: 'payload too large' });
        }
        // Checked before Probot sees the delivery: it would log a forged payload whole.
        if (!verifySignature(github.secret, body, req.headers['x-hub-signature-256'] as string | undefined)) {
          log.warn({ delivery: req.headers['x-github-delivery'], event }, 'webhook signature does not match: rejected');
          counted('bad_signature');
          return send(res, 401, { error: 'signature does not match' });
        }
        (req as IncomingMessage & { body?: string }).body = body.toString('utf8');
        const handled = (await github.middleware(req, res)) === true;
        counted(handled ? (res.statusCode < 400 ? 'accepted' : 'error') : 'not_handled');
        if (!handled && !res.headersSent) send(res, 404, { error: 'not found' });
        return;
      }
      if (req.method === 'GET') {
        for (const route of options.routes ?? []) if (await route(req, res, url)) return;
      }
      if (req.method === 'POST') {
        for (const route of options.postRoutes ?? []) if (await route(req, res, url)) return;
      }
      if (github && (await github.middleware(req, res)) === true) return;
      if (!res.headersSent) send(res, 404, { error: 'not found' });
    })().catch((error: unknown) => {
      log.error({ error: error instanceof Error ? error.message : String(error) }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
}
