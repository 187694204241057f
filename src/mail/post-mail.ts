// Mail way in, client side: `netdev-review post-mail URL [files…|-]` — a message, an mbox or a maildir,
// each message POSTed to the server signed (procmail/.forward pipes, `lei q` exports, cron over a maildir).

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { signBody } from '../http/signature.js';
import { RawText } from '../ingest/raw-text.js';
import { splitMbox } from '../ingest/mbox-split.js';

/** The messages of one input: a maildir's cur/ and new/ files, or an mbox (or a single message) split. */
export async function messagesOf(input: string, readStdin: () => Promise<Buffer>): Promise<Buffer[]> {
  if (input === '-') return split(await readStdin());
  const s = await stat(input);
  if (s.isDirectory()) {
    const out: Buffer[] = [];
    for (const sub of ['new', 'cur']) {
      const dir = join(input, sub);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.sort()) out.push(await readFile(join(dir, name)));
    }
    return out;
  }
  return split(await readFile(input));
}

function split(bytes: Buffer): Buffer[] {
  const raw = new RawText(bytes);
  return splitMbox(raw)
    .map((s) => raw.slice(s.hasSeparator ? s.start + 1 : s.start, s.end))
    .filter((b) => b.toString('latin1').trim() !== '');
}

export interface PostResult {
  status: number;
  body: string;
}

/** POSTs one message as `message/rfc822`, signed with the shared secret. */
export async function postMessage(url: string, secret: string, raw: Buffer): Promise<PostResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(secret, raw) },
    body: raw,
  });
  return { status: res.status, body: await res.text() };
}
