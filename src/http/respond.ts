// Server: the two things every handler of ours does with raw node:http — read a bounded body, answer JSON.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request body, or undefined once it grows past `limit` bytes (the rest is not read into memory). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Answers `body` as JSON; `pretty` indents it for the API people read in a browser. */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: { pretty?: boolean; headers?: Record<string, string> } = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...options.headers })
    .end(JSON.stringify(body, null, options.pretty ? 2 : undefined));
}
