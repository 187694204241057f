// Operations: GET /health (liveness; readiness = the database answers) and GET /metrics (Prometheus).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';
import { sendJson } from '../http/respond.js';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface OpsOptions {
  /** The database /health checks; without one, /health is liveness only. */
  store?: Store;
  metrics?: Metrics;
}

const json = (res: ServerResponse, status: number, body: object): void => sendJson(res, status, body, { headers: { 'cache-control': 'no-store' } });

/**
 * `/health/live` (or `/health?live=1`): 200 while the process serves requests. `/health`: also
 * readiness — 200 `{status:'ok', database:'ok'}` when a cheap query works, else 503 with the reason.
 * `/metrics`: the registry in Prometheus' text format.
 */
export function opsRoutes(options: OpsOptions): Route[] {
  const health: Route = async (_req, res, url) => {
    if (url.pathname === '/health/live' || (url.pathname === '/health' && url.searchParams.has('live'))) {
      json(res, 200, { status: 'ok' });
      return true;
    }
    if (url.pathname !== '/health') return false;
    if (!options.store) {
      json(res, 200, { status: 'ok', database: 'none' });
      return true;
    }
    try {
      await options.store.ping();
      json(res, 200, { status: 'ok', database: 'ok' });
    } catch (error) {
      json(res, 503, { status: 'unavailable', database: error instanceof Error ? error.message : String(error) });
    }
    return true;
  };
  const metrics: Route = async (_req, res, url) => {
    if (url.pathname !== '/metrics' || !options.metrics) return false;
    const body = await options.metrics.render();
    res.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' }).end(body);
    return true;
  };
  return [health, metrics];
}
