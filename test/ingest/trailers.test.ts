// Ingest stage tests: Fixes:, base-commit: and Signed-off-by: trailers.

import { describe, expect, it } from 'vitest';

import { fixesCommit, parseTrailers } from '../../src/ingest/trailers.js';

describe('parseTrailers', () => {
  it('collects every Fixes: and Signed-off-by:, in order', () => {
    const trailers = parseTrailers(
      [
        'net: acme: fix teardown',
        '',
        'Fixes: 0123456789ab ("net: acme: add driver")',
        'Fixes: ba9876543210 ("net: acme: add rings")',
        'Reviewed-by: Pat Chen <pat.chen@example.net>',
        'Signed-off-by: Lee Okafor <lee.okafor@example.com>',
        'Signed-off-by: Dana Ruiz <dana.ruiz@example.org>',
      ].join('\n'),
    );
    expect(trailers).toEqual({
      fixes: ['0123456789ab ("net: acme: add driver")', 'ba9876543210 ("net: acme: add rings")'],
      signedOffBy: ['Lee Okafor <lee.okafor@example.com>', 'Dana Ruiz <dana.ruiz@example.org>'],
    });
  });

  it('rejoins a Fixes: title an editor wrapped', () => {
    const trailers = parseTrailers('Fixes: 0123456789ab ("net: acme: add driver for the Acme\n10G controller")\nSigned-off-by: A <a@b.c>');
    expect(trailers.fixes).toEqual(['0123456789ab ("net: acme: add driver for the Acme 10G controller")']);
    expect(trailers.signedOffBy).toEqual(['A <a@b.c>']);
  });

  it('does not swallow the next trailer when a wrapped title never closes', () => {
    const trailers = parseTrailers('Fixes: 0123456789ab ("net: acme: add\nSigned-off-by: A <a@b.c>');
    expect(trailers.fixes).toEqual(['0123456789ab ("net: acme: add']);
    expect(trailers.signedOffBy).toEqual(['A <a@b.c>']);
  });

  it('reads base-commit: after the diff and ignores quoted or added lines', () => {
    const trailers = parseTrailers(
      ['> Fixes: 111111111111 ("quoted")', '+Signed-off-by: added line <x@y.z>', 'base-commit: 89ABCDEF0123456789abcdef0123456789abcdef'].join('\n'),
    );
    expect(trailers).toEqual({ fixes: [], signedOffBy: [], baseCommit: '89abcdef0123456789abcdef0123456789abcdef' });
  });

  it('is case-insensitive about the trailer name', () => {
    expect(parseTrailers('fixes: 0123456789ab ("x")').fixes).toHaveLength(1);
    expect(parseTrailers('Signed-Off-By: A <a@b.c>').signedOffBy).toEqual(['A <a@b.c>']);
  });
});

describe('fixesCommit', () => {
  it('returns the hash a Fixes: value starts with', () => {
    expect(fixesCommit('0123456789AB ("net: acme: add driver")')).toBe('0123456789ab');
    expect(fixesCommit('commit 0123456789ab')).toBeUndefined();
  });
});
