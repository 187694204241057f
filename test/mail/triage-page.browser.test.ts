// The triage page in a real headless browser (Debian chromium driven by playwright-core): it loads, lists
// the series, filters by tree and "relevant only", and its links lead to the findings and the reply draft.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createAppServer } from '../../src/http/app-server.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { MailWorker } from '../../src/mail/worker.js';
import { reviewMail } from '../../src/mail/review-mail.js';
import { triageRoutes } from '../../src/mail/triage-routes.js';
import { signBody } from '../../src/http/signature.js';
import { ALL_RULES } from '../../rules/index.js';

const CHROMIUM = '/usr/bin/chromium';
const SECRET = 'browser';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const acme = readFileSync('examples/acme-new-driver.patch', 'utf8').replace(/^From 3f1c[^\n]*\n/, '');

/** A one-patch fix for the net tree that touches documentation only: not relevant to net_device code. */
const docsFix = `From: Doc Writer <doc@example.org>
Subject: [PATCH net] docs: networking: fix a typo in the bonding guide
Message-ID: <docs-1@example.org>
Date: Sat, 21 Nov 2026 11:00:00 +0000

Fixes: 0123456789ab ("docs: networking: add the bonding guide")
Signed-off-by: Doc Writer <doc@example.org>
---
 Documentation/networking/bonding.rst | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/Documentation/networking/bonding.rst b/Documentation/networking/bonding.rst
index 1111111..2222222 100644
--- a/Documentation/networking/bonding.rst
+++ b/Documentation/networking/bonding.rst
@@ -10,3 +10,3 @@ Introduction
 The Linux bonding driver provides a method for aggregating
-multiple network interfaces into a singel logical interface.
+multiple network interfaces into a single logical interface.
 The behavior of the bonded interfaces depends upon the mode.
`;

describe.skipIf(!existsSync(CHROMIUM))('triage page in headless chromium', () => {
  let server: Server;
  let store: Store;
  let browser: Browser;
  let page: Page;
  let base = '';
  beforeAll(async () => {
    store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-browser-')));
    const worker = new MailWorker({ store, workerId: 'b', review: (raw, id) => reviewMail(raw, id, ALL_RULES) });
    server = createAppServer({ mail: { store, secret: SECRET, worker }, routes: triageRoutes(store), log: quiet });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const mails = [acme.replace('Subject:', 'Message-ID: <acme-1@example.org>\nSubject:'), docsFix].map((m) => Buffer.from(m));
    for (const m of mails) {
      const res = await fetch(`${base}/mail`, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, m) }, body: m });
      expect(res.status).toBe(202);
    }
    await worker.drain();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  const titles = () => page.locator('tr.series td.title > a').allTextContents();

  it('loads and lists both series with tree, relevance and counts', async () => {
    const res = await page.goto(`${base}/triage`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('netdev-review triage');
    const t = await titles();
    expect(t).toHaveLength(2);
    expect(t.some((x) => x.includes('Acme Fast Ethernet'))).toBe(true);
    expect(t.some((x) => x.includes('bonding guide'))).toBe(true);
    const acmeRow = page.locator('tr.series', { hasText: 'Acme Fast Ethernet' });
    expect(await acmeRow.locator('td.tree').textContent()).toBe('net-next');
    expect(await acmeRow.locator('td.relevant').textContent()).toBe('yes');
    expect(await acmeRow.locator('td.counts').textContent()).toMatch(/^[1-9]\d* \/ \d+ \/ \d+$/);
    const docsRow = page.locator('tr.series', { hasText: 'bonding guide' });
    expect(await docsRow.locator('td.tree').textContent()).toBe('net');
    expect(await docsRow.locator('td.relevant').textContent()).toBe('no');
    expect(await page.locator('p.queue').textContent()).toContain('2 reviewed');
  });

  it('filters by tree through the form', async () => {
    await page.goto(`${base}/triage`);
    await page.selectOption('select[name=tree]', 'net');
    await page.click('button[type=submit]');
    await page.waitForURL(/tree=net(&|$)/);
    expect(await titles()).toEqual([expect.stringContaining('bonding guide')]);
    await page.selectOption('select[name=tree]', 'net-next');
    await page.click('button[type=submit]');
    await page.waitForURL(/tree=net-next/);
    expect(await titles()).toEqual([expect.stringContaining('Acme Fast Ethernet')]);
  });

  it('filters to relevant series only', async () => {
    await page.goto(`${base}/triage`);
    await page.check('input[name=relevant]');
    await page.click('button[type=submit]');
    await page.waitForURL(/relevant=1/);
    expect(await titles()).toEqual([expect.stringContaining('Acme Fast Ethernet')]);
    expect(await page.isChecked('input[name=relevant]')).toBe(true);
  });

  it('links each patch to its findings and to its reply draft', async () => {
    await page.goto(`${base}/triage`);
    const row = page.locator('tr.series', { hasText: 'Acme Fast Ethernet' });
    expect(await row.locator('.findings').textContent()).toMatch(/\d+ findings?/);
    const [patchRes] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/triage/series/')), row.locator('a.patch').first().click()]);
    expect(patchRes.status()).toBe(200);
    const series = (await patchRes.json()) as { mails: { triage: { findings: { ruleId: string; citation?: unknown }[] } }[] };
    const ruleIds = series.mails.flatMap((m) => m.triage.findings.map((f) => f.ruleId));
    expect(ruleIds).toContain('netdev-free-api');

    await page.goto(`${base}/triage`);
    const href = await page.locator('tr.series', { hasText: 'Acme Fast Ethernet' }).locator('a.reply').getAttribute('href');
    expect(href).toMatch(/^\/api\/triage\/patch\/\d+\/reply\.eml$/);
    const eml = await page.request.get(`${base}${href}`);
    expect(eml.status()).toBe(200);
    expect(await eml.text()).toMatch(/^Subject: Re: \[PATCH net-next\]/m);
    // The documentation fix has no findings, hence no reply link.
    expect(await page.locator('tr.series', { hasText: 'bonding guide' }).locator('a.reply').count()).toBe(0);
  });
});
