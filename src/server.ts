// Entry point of the server (`npm start`): the GitHub App on Probot's standard environment (APP_ID,
// PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL, GHE_HOST/GHE_PROTOCOL).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot } from 'probot';
import { AppOctokit } from './github/app-octokit.js';
import { createApp } from './app.js';
import { verifySignature } from './http/signature.js';

/** Webhook path Probot uses. */
export const WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
const probot = createProbot({ overrides: { Octokit: AppOctokit } });
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('WEBHOOK_SECRET is not set: every delivery must be verified');
const { app } = createApp();
const middleware = await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOK_PATH });

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Reads a body up to `limit` bytes; undefined when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const server = createServer((req, res) => {
  void (async () => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === WEBHOOK_PATH) {
      const body = await readBody(req, MAX_WEBHOOK_BYTES);
      if (!body) return send(res, 413, { error: 'payload too large' });
      // Checked before Probot sees the delivery: it would log a forged payload whole.
      if (!verifySignature(secret, body, req.headers['x-hub-signature-256'] as string | undefined)) {
        probot.log.warn({ delivery: req.headers['x-github-delivery'], event: req.headers['x-github-event'] }, 'webhook signature does not match: rejected');
        return send(res, 401, { error: 'signature does not match' });
      }
      (req as IncomingMessage & { body?: string }).body = body.toString('utf8');
    }
    const handled = await middleware(req, res);
    if (!handled && !res.headersSent) send(res, 404, { error: 'not found' });
  })().catch((error: unknown) => {
    probot.log.error({ error: error instanceof Error ? error.message : String(error) }, 'request failed');
    if (!res.headersSent) send(res, 500, { error: 'internal error' });
  });
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => probot.log.info(`netdev-review listening on http://${host}:${port}${WEBHOOK_PATH}`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
