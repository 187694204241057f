// Ingest stage tests: files, mboxes, mails and bare diffs in; Patch objects out, with diffStartLine true to the file.

import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Patch } from '../../src/ingest/patch.js';
import { InputError, readInputFile, readPatches } from '../../src/ingest/read-input.js';

const FIXTURES = path.resolve('test/fixtures/ingest');
const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, name));

/** The file's line at diffStartLine must be the diff's first line (CR stripped, decoded as UTF-8). */
function lineAt(bytes: Buffer, lineNumber: number): string {
  return (bytes.toString('utf8').split('\n')[lineNumber - 1] ?? '').replace(/\r$/, '');
}

function expectExactStart(bytes: Buffer, patch: Patch): void {
  expect(patch.diff).not.toBe('');
  expect(lineAt(bytes, patch.diffStartLine)).toBe(patch.diff.split('\n')[0]);
  expect(patch.notes.some((note) => note.startsWith('diffStartLine'))).toBe(false);
}

describe('readPatches: git format-patch', () => {
  it('reads headers, tags, in-body author, message, trailers and the diff', async () => {
    const bytes = fixture('format-patch.patch');
    const [patch, ...rest] = await readPatches(bytes, 'format-patch.patch');
    expect(rest).toHaveLength(0);
    expect(patch).toMatchObject({
      origin: 'format-patch.patch',
      ordinal: 0,
      kind: 'patch',
      messageId: '20250304091244.1234-3-dana.ruiz@example.org',
      inReplyTo: '20250304091244.1234-1-dana.ruiz@example.org',
      references: ['20250304091244.1234-1-dana.ruiz@example.org'],
      from: 'Lee Okafor <lee.okafor@example.com>',
      date: 'Tue, 4 Mar 2025 10:12:44 +0100',
      subject: '[PATCH net-next v2 2/3] net: acme: free the netdev after unregistering it',
      tags: { tree: 'net-next', revision: 2, index: 2, total: 3, title: 'net: acme: free the netdev after unregistering it' },
      trailers: {
        fixes: ['0123456789ab ("net: acme: add driver for the Acme 10G controller")'],
        signedOffBy: ['Lee Okafor <lee.okafor@example.com>', 'Dana Ruiz <dana.ruiz@example.org>'],
        baseCommit: '89abcdef0123456789abcdef0123456789abcdef',
      },
      diffStartLine: 28,
      notes: [],
    });
    expect(patch!.description.startsWith('acme_remove() calls free_netdev()')).toBe(true);
    expect(patch!.description.endsWith('Signed-off-by: Dana Ruiz <dana.ruiz@example.org>')).toBe(true);
    expect(patch!.description).not.toContain('v2: also drop');
    expect(patch!.diff.startsWith('diff --git a/drivers/net/ethernet/acme/acme_main.c')).toBe(true);
    expect(patch!.diff.endsWith('+\tpci_disable_device(pdev);\n }\n')).toBe(true);
    expect(patch!.diff).not.toContain('base-commit');
    expectExactStart(bytes, patch!);
  });

  it('maps the same lines when the file has CRLF line ends', async () => {
    const bytes = Buffer.from(fixture('format-patch.patch').toString('utf8').replace(/\n/g, '\r\n'));
    const [patch] = await readPatches(bytes, 'crlf.patch');
    expect(patch!.diffStartLine).toBe(28);
    expect(patch!.diff).not.toContain('\r');
    expect(patch!.description).not.toContain('\r');
    expectExactStart(bytes, patch!);
  });

  it('reads a format-patch file without the From_ line', async () => {
    const text = fixture('format-patch.patch').toString('utf8');
    const bytes = Buffer.from(text.slice(text.indexOf('\n') + 1));
    const [patch] = await readPatches(bytes, 'no-separator.patch');
    expect(patch!.kind).toBe('patch');
    expect(patch!.diffStartLine).toBe(27);
    expectExactStart(bytes, patch!);
  });

  it('decodes encoded-word headers on the fast path', async () => {
    const text = fixture('format-patch.patch')
      .toString('utf8')
      .replace('From: Dana Ruiz <dana.ruiz@example.org>', 'From: =?UTF-8?q?Dana=20R=C3=BAiz?= <dana.ruiz@example.org>')
      .replace('From: Lee Okafor <lee.okafor@example.com>\n\n', '');
    const [patch] = await readPatches(Buffer.from(text), 'encoded-words.patch');
    expect(patch!.from).toBe('Dana Rúiz <dana.ruiz@example.org>');
    expectExactStart(Buffer.from(text), patch!);
  });

  it('reads raw UTF-8 in 8bit headers and bodies', async () => {
    const text = fixture('format-patch.patch').toString('utf8').replaceAll('Dana Ruiz <dana.ruiz', 'Daña Ruíz <dana.ruiz');
    const [patch] = await readPatches(Buffer.from(text), 'utf8.patch');
    expect(patch!.trailers.signedOffBy[1]).toBe('Daña Ruíz <dana.ruiz@example.org>');
    expect(patch!.notes).toEqual([]);
  });

  it('decodes invalid UTF-8 with replacement characters and says so', async () => {
    const text = fixture('format-patch.patch').toString('utf8');
    const at = text.indexOf('Unregister first');
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xfe, 0x20]), Buffer.from(text.slice(at))]);
    const [patch] = await readPatches(bytes, 'bad-utf8.patch');
    expect(patch!.kind).toBe('patch');
    expect(patch!.description).toContain('\ufffd\ufffd Unregister first');
    expect(patch!.notes).toContain('invalid UTF-8, decoded with replacement characters');
    expect(patch!.diffStartLine).toBe(28);
  });
});

describe('readPatches: mbox series', () => {
  it('keeps order, flags the cover letter and the reply, and numbers origins', async () => {
    const bytes = fixture('series.mbox');
    const patches = await readPatches(bytes, 'series.mbox');
    expect(patches.map((p) => [p.origin, p.ordinal, p.kind, p.tags.index])).toEqual([
      ['series.mbox#1', 0, 'cover-letter', 0],
      ['series.mbox#2', 1, 'patch', 1],
      ['series.mbox#3', 2, 'patch', 2],
      ['series.mbox#4', 3, 'reply', 2],
    ]);
    const [cover, first, second, reply] = patches;
    expect(cover!.trailers.baseCommit).toBe('1234567890abcdef1234567890abcdef12345678');
    expect(cover!.diff).toBe('');
    expect(cover!.diffStartLine).toBe(0);
    expect(first!.inReplyTo).toBe(cover!.messageId);
    expect(reply!.references).toEqual([cover!.messageId, second!.messageId]);
    expect(reply!.diff).toBe('');
    expectExactStart(bytes, first!);
    expectExactStart(bytes, second!);
    expect(first!.diffStartLine).toBe(38);
    expect(second!.diffStartLine).toBe(71);
  });

  it('does not split at a "From " line of a commit message, and unescapes >From', async () => {
    const [, first] = await readPatches(fixture('series.mbox'), 'series.mbox');
    expect(first!.description).toContain('From the datasheet, the DMA engine');
    expect(first!.description).toContain('\nFrom here on the driver');
    expect(first!.trailers.fixes).toEqual(['0123456789ab ("net: acme: add driver for the Acme 10G controller")']);
  });

  it('calls a reply a reply even without Re:, when it only quotes the diff', async () => {
    const text = fixture('series.mbox').toString('utf8');
    const reply = text.slice(text.lastIndexOf('\nFrom pat.chen') + 1).replace('Subject: Re: ', 'Subject: ');
    const [patch] = await readPatches(Buffer.from(reply), 'reply.eml');
    expect(patch!.kind).toBe('reply');
    expect(patch!.tags.isReply).toBe(false);
  });

  it('calls the first mail of a numbered series without 0/N its cover letter', async () => {
    const text = fixture('series.mbox').toString('utf8').replace('[PATCH net 0/2] ', '');
    const patches = await readPatches(Buffer.from(text), 'series.mbox');
    expect(patches[0]!.kind).toBe('cover-letter');
  });
});

describe('readPatches: bare diffs and quilt files', () => {
  it('reads a ---/+++ diff with no headers as one patch', async () => {
    const bytes = fixture('bare.diff');
    const [patch, ...rest] = await readPatches(bytes, 'bare.diff');
    expect(rest).toHaveLength(0);
    expect(patch).toMatchObject({ kind: 'patch', diffStartLine: 1, description: '', references: [], notes: [] });
    expect(patch!.subject).toBeUndefined();
    expect(patch!.diff).toBe(bytes.toString('utf8'));
  });

  it('reads an Index: (quilt/svn) diff from its Index: line', async () => {
    const bytes = fixture('quilt-index.diff');
    const [patch] = await readPatches(bytes, 'quilt-index.diff');
    expect(patch!.diffStartLine).toBe(1);
    expect(patch!.diff.split('\n')[0]).toBe('Index: linux-6.1.12/drivers/net/ethernet/acme/acme_main.c');
    expectExactStart(bytes, patch!);
  });

  it('reads a diff after some free text', async () => {
    const bytes = Buffer.from(`Fix the link check.\n\nSigned-off-by: A <a@b.c>\n\n${fixture('bare.diff').toString('utf8')}`);
    const [patch] = await readPatches(bytes, 'text.diff');
    expect(patch).toMatchObject({ kind: 'patch', diffStartLine: 5, description: 'Fix the link check.\n\nSigned-off-by: A <a@b.c>' });
    expect(patch!.trailers.signedOffBy).toEqual(['A <a@b.c>']);
  });

  it('takes an OpenWrt --- fenced header as the description of the format-patch after it', async () => {
    const bytes = fixture('openwrt-fenced.patch');
    const patches = await readPatches(bytes, 'openwrt-fenced.patch');
    expect(patches).toHaveLength(1);
    const [patch] = patches;
    expect(patch!.origin).toBe('openwrt-fenced.patch');
    expect(patch!.description).toBe(
      '[v2] net: ethernet: acme: enable NAPI before starting the queue\n\nThe queue may be woken by the first interrupt; NAPI has to be ready.',
    );
    expect(patch!.diff.endsWith('+\tnapi_enable(&priv->napi);\n \tnetif_start_queue(ndev);\n \treturn 0;\n }\n')).toBe(true);
    expectExactStart(bytes, patch!);
  });
});

describe('readPatches: MIME', () => {
  it('decodes a quoted-printable patch; diffStartLine is the body start, with a note', async () => {
    const [patch] = await readPatches(fixture('quoted-printable.eml'), 'qp.eml');
    expect(patch).toMatchObject({
      kind: 'patch',
      from: 'Zoë Martín <zoe.martin@example.es>',
      subject: '[PATCH iwl-net] net: acme: reject a zero ring size – fix',
      tags: { tree: 'iwl-net', title: 'net: acme: reject a zero ring size – fix' },
      diffStartLine: 11,
    });
    expect(patch!.trailers.signedOffBy).toEqual(['Zoë Martín <zoe.martin@example.es>']);
    expect(patch!.diff).toContain('+\t\tpriv->rx_ring_size = ACME_DEFAULT_RING_SIZE; /* zero would divide by zero */\n');
    expect(patch!.diff).not.toContain('\r');
    expect(patch!.diff).not.toContain('=\n');
    expect(patch!.notes.some((note) => note.startsWith('diffStartLine is approximate'))).toBe(true);
  });

  it('decodes a base64 patch to the same text as the quoted-printable one', async () => {
    const [qp] = await readPatches(fixture('quoted-printable.eml'), 'qp.eml');
    const [b64] = await readPatches(fixture('base64.eml'), 'b64.eml');
    expect(b64!.diff).toBe(qp!.diff);
    expect(b64!.description).toBe(qp!.description);
    expect(b64!.diffStartLine).toBe(11);
  });

  it('decodes an 8bit latin1 mail exactly, line numbers included', async () => {
    const bytes = fixture('latin1-8bit.eml');
    const [patch] = await readPatches(bytes, 'latin1.eml');
    expect(patch!.description).toContain('87,5 % but gives the value in µs');
    expect(patch!.trailers.signedOffBy).toEqual(['Jörg Müller <jorg@example.de>']);
    expect(patch!.diff).toContain('+/* sample point: 87,5 % (Jörg) */\n');
    expect(patch!.diffStartLine).toBe(17);
    expect(bytes.toString('latin1').split('\n')[16]).toBe(patch!.diff.split('\n')[0]);
    expect(patch!.notes).toEqual([]);
  });

  it('reads a format-patch attached to a mail (base64 part)', async () => {
    const [patch, ...rest] = await readPatches(fixture('attachment.eml'), 'attachment.eml');
    expect(rest).toHaveLength(0);
    expect(patch).toMatchObject({
      kind: 'patch',
      subject: '[PATCH] net: acme: take rtnl_lock around dev_set_mtu()',
      description: 'dev_set_mtu() must be called with RTNL held.\n\nSigned-off-by: Ilse Berg <ilse.berg@example.se>',
      diffStartLine: 27,
    });
    expect(patch!.diff).toContain('+\trtnl_lock();\n');
    expect(patch!.notes).toContain('read from attachment 0001-net-acme-take-rtnl_lock-around-dev_set_mtu.patch');
    // The attached file has no Message-ID of its own: the patch threads under the carrying mail.
    expect(patch!.messageId).toBe('ab12cd34-0000-1111-2222-333344445555@example.se');
  });

  it('maps an 8bit attachment exactly and takes the message from the mail', async () => {
    const diff = fixture('bare.diff').toString('utf8');
    const mail = [
      'From: Ilse Berg <ilse.berg@example.se>',
      'Subject: [PATCH net] net: acme: check phylink',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'priv->phylink is NULL until probe finished.',
      '',
      'Signed-off-by: Ilse Berg <ilse.berg@example.se>',
      '--b1',
      'Content-Type: text/x-diff; charset=us-ascii; name="phylink.diff"',
      'Content-Disposition: attachment; filename="phylink.diff"',
      'Content-Transfer-Encoding: 8bit',
      '',
      `${diff}--b1--`,
      '',
    ].join('\n');
    const bytes = Buffer.from(mail);
    const [patch] = await readPatches(bytes, 'attached-diff.eml');
    expect(patch).toMatchObject({
      kind: 'patch',
      diffStartLine: 17,
      description: 'priv->phylink is NULL until probe finished.\n\nSigned-off-by: Ilse Berg <ilse.berg@example.se>',
    });
    expect(patch!.trailers.signedOffBy).toEqual(['Ilse Berg <ilse.berg@example.se>']);
    expectExactStart(bytes, patch!);
  });
});

describe('readPatches: mails that are not patches', () => {
  it('reads a git request-pull mail as a pull request', async () => {
    const [patch] = await readPatches(fixture('pull-request.eml'), 'pull.eml');
    expect(patch).toMatchObject({ kind: 'pull-request', diff: '', diffStartLine: 0 });
  });

  it('knows a request-pull body under a [PATCH 0/N] subject', async () => {
    const text = fixture('pull-request.eml').toString('utf8').replace('[GIT PULL] acme', '[PATCH net 0/2] pull-request: acme');
    const [patch] = await readPatches(Buffer.from(text), 'pull.eml');
    expect(patch!.kind).toBe('pull-request');
  });

  it('keeps a mail without a diff as no-diff instead of failing', async () => {
    const mail = 'From: A <a@b.c>\nSubject: acme link flaps on 6.12\n\nSince 6.12 the link goes down every minute.\n';
    const [patch] = await readPatches(Buffer.from(mail), 'question.eml');
    expect(patch).toMatchObject({ kind: 'no-diff', diff: '', subject: 'acme link flaps on 6.12' });
  });

  it('reads a web-archive page of a stable patch (no blank lines, folds lost)', async () => {
    const bytes = fixture('archive-scrape.txt');
    const [patch] = await readPatches(bytes, 'archive-scrape.txt');
    expect(patch).toMatchObject({
      kind: 'patch',
      tags: { tree: 'stable', stableVersion: '6.1', index: 12, total: 140 },
      messageId: '20240611120000.000000001@example.org',
      diffStartLine: 16,
    });
    expect(patch!.notes).toContain('1 line(s) before the mail headers ignored');
    expectExactStart(bytes, patch!);
  });
});

describe('readPatches: bad input', () => {
  it('rejects empty and blank input', async () => {
    await expect(readPatches(Buffer.alloc(0), 'empty.patch')).rejects.toThrow(new InputError('empty.patch: empty input', 'empty.patch'));
    await expect(readPatches(Buffer.from(' \n\r\n\t\n'), 'blank.patch')).rejects.toBeInstanceOf(InputError);
  });

  it('rejects binary input', async () => {
    const bytes = Buffer.concat([Buffer.from('\x1f\x8b\x08\x00'), Buffer.alloc(16)]);
    await expect(readPatches(bytes, 'series.mbox.gz')).rejects.toThrow(/^series\.mbox\.gz: binary input \(NUL byte at offset 4\)/);
  });

  it('rejects text that holds neither a mail nor a diff', async () => {
    await expect(readPatches(Buffer.from('just some notes\n--- not a diff\n'), 'notes.txt')).rejects.toThrow(
      'no patch found in notes.txt',
    );
  });

  it('rejects unreadable files with the path in the message', async () => {
    const missing = path.join(FIXTURES, 'does-not-exist.patch');
    await expect(readInputFile(missing)).rejects.toThrow(`cannot read ${missing}`);
    await expect(readInputFile(FIXTURES)).rejects.toBeInstanceOf(InputError);
  });

  it('reads a file by path, with the path as origin', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ingest-'));
    const file = path.join(dir, 'one.patch');
    await writeFile(file, fixture('format-patch.patch'));
    const [patch] = await readInputFile(file);
    expect(patch!.origin).toBe(file);
  });

  it('passes a cut-off hunk on for the diff stage to judge', async () => {
    const text = fixture('format-patch.patch').toString('utf8');
    const cut = text.slice(0, text.indexOf(' \tacme_hw_shutdown(priv);'));
    const [patch] = await readPatches(Buffer.from(cut), 'cut.patch');
    expect(patch!.kind).toBe('patch');
    expect(patch!.diff.endsWith('+\tfree_netdev(ndev);\n')).toBe(true);
  });

  it('reads a 20 MB patch in linear time', async () => {
    const hunk = (n: number): string =>
      `diff --git a/drivers/net/f${n}.c b/drivers/net/f${n}.c\n--- a/drivers/net/f${n}.c\n+++ b/drivers/net/f${n}.c\n` +
      `@@ -1,3 +1,3 @@\n context ${n}\n-\told_call(dev);\n+\tnew_call(dev);\n context\n`;
    const build = (bytes: number): Buffer => {
      const parts = ['From: A <a@b.c>\nSubject: [PATCH] big\n\nBig.\n---\n'];
      let size = 0;
      for (let n = 0; size < bytes; n++) {
        const piece = hunk(n);
        parts.push(piece);
        size += piece.length;
      }
      parts.push('-- \n2.43.0\n');
      return Buffer.from(parts.join(''));
    };
    const time = async (bytes: Buffer): Promise<number> => {
      const start = performance.now();
      const [patch] = await readPatches(bytes, 'big.patch');
      expect(patch!.diffStartLine).toBe(6);
      expect(patch!.diff.length).toBeGreaterThan(bytes.length - 100);
      return performance.now() - start;
    };
    const small = await time(build(2 * 1024 * 1024));
    const big = await time(build(20 * 1024 * 1024));
    // Ten times the input may cost at most ~25 times the time (GC noise), never the square.
    expect(big).toBeLessThan(Math.max(small, 20) * 25);
  });
});
