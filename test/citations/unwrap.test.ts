// Citations stage: the document is found the same whatever it arrived wrapped in, with the line numbers of the document itself.

import { describe, expect, it } from 'vitest';
import { KNOWN_TITLES } from '../../src/citations/aliases.js';
import { findEntry, findSection, loadDocument, type NetdevDoc } from '../../src/citations/document.js';
import { isUnderline, normalizeTitle, unwrapDocument } from '../../src/citations/unwrap.js';
import { MAINLINE } from '../../src/kernel/version.js';
import { asFlattened, asMangledMail, asNumbered, asWebPipe, fixture, lineOf } from './wrappings.js';

const NEW = fixture('netdev-new.rst');
const MAIL = fixture('lifetime-patch.eml');

const load = (text: string): NetdevDoc => loadDocument(text, { kind: 'published', version: MAINLINE });
const outline = (doc: NetdevDoc): string[] => doc.sections.map((s) => `${s.title}@${s.start}-${s.end}`);

describe('wrappings', () => {
  const plain = load(NEW);

  it('reads the plain file as is', () => {
    expect(plain.wrapping).toBe('plain');
    expect(plain.exactLineNumbers).toBe(true);
    expect(plain.partial).toBe(false);
  });

  it('strips the line-number prefixes of a blob view and keeps those numbers, blank lines missing or not', () => {
    const doc = load(asNumbered(NEW));
    expect(doc.wrapping).toBe('numbered');
    expect(outline(doc)).toEqual(outline(plain));
    expect(doc.entries.map((e) => [e.text, e.start, e.end])).toEqual(plain.entries.map((e) => [e.text, e.start, e.end]));
    // Tabs shown as non-breaking spaces still indent the entry bodies.
    expect(findEntry(doc, 'ndo_open')?.end).toBe(findEntry(plain, 'ndo_open')?.end);
  });

  it('strips the "| " rows of a web view and drops its separators and page chrome', () => {
    const doc = load(asWebPipe(NEW));
    expect(doc.wrapping).toBe('web-pipe');
    expect(outline(doc)).toEqual(outline(plain));
    expect(doc.lines.find((l) => l.line === 1)?.text).toBe('.. SPDX-License-Identifier: GPL-2.0');
    expect(doc.lines.find((l) => l.line === 1)?.inputLine).toBe(5);
  });

  it('recognizes the known headings of a flattened text and infers the MTU section from its body', () => {
    const doc = load(asFlattened(NEW));
    expect(doc.wrapping).toBe('flattened');
    expect(doc.exactLineNumbers).toBe(false);
    expect(doc.format).toBe('rst');
    expect(doc.sections.filter((s) => s.key).map((s) => s.key)).toEqual(['lifetime', 'mtu', 'sync', 'napi', 'instance-lock']);
    expect(findSection(doc, 'mtu')?.inferred).toBe(true);
    expect(doc.sections.map((s) => s.title)).toContain('Device management under RTNL');
    // One-word entry lines are gone with the markup and nothing is made up in their place; an
    // entry naming two callbacks survives, claiming only its own line (the body's extent is lost).
    expect(doc.entries.map((e) => e.text)).toEqual(['ndo_get_stats / ndo_get_stats64']);
    expect(doc.entries[0]?.end).toBe(doc.entries[0]?.start);
  });

  it('takes the post-image of a patch mail, numbered from its hunk header', () => {
    const doc = load(MAIL);
    expect(doc.wrapping).toBe('diff');
    expect(doc.partial).toBe(true);
    expect(doc.exactLineNumbers).toBe(true);
    for (const l of doc.lines) expect(l.text, `line ${l.line}`).toBe(NEW.split('\n')[l.line - 1]);
    const lifetime = findSection(doc, 'lifetime');
    expect(lifetime?.title).toBe('struct net_device lifetime rules');
    expect(lifetime?.start).toBe(lineOf(NEW, 'struct net_device lifetime rules'));
    expect(findSection(doc, 'mtu')?.start).toBe(lineOf(NEW, 'MTU'));
  });

  it('puts back the blank context lines a mail archive dropped, so the numbers still match the file', () => {
    const mangled = asMangledMail(MAIL);
    expect(mangled.split('\n').length).toBeLessThan(MAIL.split('\n').length);
    const doc = load(mangled);
    expect(doc.exactLineNumbers).toBe(true);
    const heads = ['struct net_device lifetime rules', 'Simple drivers', 'Device management under RTNL', '.ndo_init and .ndo_uninit', 'MTU'];
    for (const h of heads) expect(doc.sections.find((s) => s.title === h)?.start, h).toBe(lineOf(NEW, h));
    for (const l of doc.lines) expect(l.text.trim(), `line ${l.line}`).toBe((NEW.split('\n')[l.line - 1] ?? '').trim());
  });

  it('admits inexact numbers when a dropped context line has no place to go', () => {
    const diff = [
      '--- a/Documentation/networking/netdevices.txt',
      '+++ b/Documentation/networking/netdevices.txt',
      '@@ -1,4 +1,4 @@',
      'first paragraph',
      '-old second line',
      '+new second line',
      'third paragraph',
    ].join('\n');
    const un = unwrapDocument(diff, KNOWN_TITLES);
    expect(un.wrapping).toBe('diff');
    expect(un.exactLineNumbers).toBe(false);
    expect(un.lines.map((l) => [l.line, l.text])).toEqual([
      [1, 'first paragraph'],
      [2, 'new second line'],
      [3, 'third paragraph'],
    ]);
  });

  it('picks the document out of a patch that touches other files too', () => {
    const diff = [
      '--- a/net/core/dev.c',
      '+++ b/net/core/dev.c',
      '@@ -5,1 +5,1 @@',
      '-int a;',
      '+int b;',
      '--- a/Documentation/networking/netdevices.rst',
      '+++ b/Documentation/networking/netdevices.rst',
      '@@ -7,2 +7,3 @@',
      ' MTU',
      ' ===',
      '+Made-up body line.',
    ].join('\n');
    const un = unwrapDocument(diff, KNOWN_TITLES);
    expect(un.diffPath).toBe('Documentation/networking/netdevices.rst');
    expect(un.lines.map((l) => l.line)).toEqual([7, 8, 9]);
  });

  it('does not take a plain document whose lines happen to start with numbers for a blob view', () => {
    const text = ['Title', '=====', '1500 bytes is common.', 'Text.', '9000 byte frames exist.', 'More text.', 'Even more.', 'End.'].join('\n');
    expect(unwrapDocument(text, KNOWN_TITLES).wrapping).toBe('plain');
  });
});

describe('line helpers', () => {
  it('tells underlines from text', () => {
    expect(isUnderline('====')).toBe(true);
    expect(isUnderline('~~~~~~~~~~')).toBe(true);
    expect(isUnderline('--')).toBe(false);
    expect(isUnderline('=-=-')).toBe(false);
    expect(isUnderline('MTU')).toBe(false);
  });

  it('normalizes titles for comparison', () => {
    expect(normalizeTitle('  Struct  net_device\tLifetime rules ')).toBe('struct net_device lifetime rules');
  });
});
