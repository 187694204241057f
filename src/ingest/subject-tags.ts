// Ingest stage: reads a patch subject's prefixes and bracket tags (series position, tree, revision, stable version).

import type { SubjectTags } from './patch.js';

/** Trees named by their exact token; anything else must end in `-net`/`-next` (see isTreeToken). */
const KNOWN_TREES = new Set([
  'net',
  'net-next',
  'next',
  'wireless',
  'wireless-next',
  'bpf',
  'bpf-next',
  'iwl-net',
  'iwl-next',
  'can',
  'can-next',
  'linux-can',
  'linux-can-next',
  'nf',
  'nf-next',
  'ipsec',
  'ipsec-next',
  'wpan',
  'wpan-next',
  'bluetooth',
  'bluetooth-next',
  'mlx5-next',
]);

// `Re[2]:`, `AW:` (German), `SV:` (Nordic), `Antw:` (Dutch), `Odp:` (Polish) all mark a reply.
const REPLY_PREFIX = /^(?:re|aw|sv|antw|odp)(?:\s*\[\d+\])?\s*:\s*/i;
const FORWARD_PREFIX = /^(?:fwd?|fw)\s*:\s*/i;
const BRACKET_GROUP = /^\[([^\]]*)\]\s*/;
// A reply prefix buried after free text, e.g. "CAN ML only - Re: [PATCH ...]".
const BURIED_REPLY = /(?:^|[\s\-:])((?:re|aw)\s*:\s*\[)/i;

const STABLE_NUMBER = /^(?:linux-)?(\d+\.\d+)(?:\.(?:\d+|y))?$/i;
const STABLE_NAMED = /^stable(?:-(\d+\.\d+)(?:\.y)?)?$/i;
const REVISION = /^(?:patch|rfc)?-?v(\d+)$/i;
const POSITION = /^(\d+)\/(\d+)$/;

function isTreeToken(lower: string): boolean {
  if (KNOWN_TREES.has(lower)) return true;
  // `iwl-net`, `rdma-next`, `linux-next`; a plain `...net` word like `ethernet` is not a tree.
  return /^[a-z0-9][a-z0-9._]*(?:-[a-z0-9._]+)*-(?:net|next)$/.test(lower);
}

// `[PATCH 1/99999999999999999999]` or `v` and 400 nines would give Infinity, which a stored triage (JSON) turns
// into null; a number that large is no series position or revision, just a token.
function isCount(digits: string): boolean {
  return Number.isSafeInteger(Number(digits));
}

function splitTokens(group: string): string[] {
  // Patchwork renders tags as `[net,2/3]`, so commas separate tokens like spaces do.
  return group.split(/[\s,]+/).filter((token) => token.length > 0);
}

/** Parses a mail subject such as `Re: [PATCH net-next v3 2/7] net: foo` into its tags and title. */
export function parseSubject(subject: string): SubjectTags {
  let rest = subject.replace(/\s+/g, ' ').trim();
  let isReply = false;
  let sawBracket = false;
  const raw: string[] = [];

  for (;;) {
    // After a tag, `Re:` counts only before another tag (`[list] Re: [PATCH]`): in the
    // title it could be a driver prefix.
    const reply = REPLY_PREFIX.exec(rest);
    if (reply && (!sawBracket || rest[reply[0].length] === '[')) {
      isReply = true;
      rest = rest.slice(reply[0].length);
      continue;
    }
    const forward = FORWARD_PREFIX.exec(rest);
    if (forward && (!sawBracket || rest[forward[0].length] === '[')) {
      rest = rest.slice(forward[0].length);
      continue;
    }
    const group = BRACKET_GROUP.exec(rest);
    if (group) {
      sawBracket = true;
      // A loop, not push(...tokens): a 600 kB subject of 300,000 tokens overflowed the call stack.
      for (const token of splitTokens(group[1] ?? '')) raw.push(token);
      rest = rest.slice(group[0].length);
      continue;
    }
    if (!sawBracket && !isReply) {
      const buried = BURIED_REPLY.exec(rest);
      if (buried && buried.index < 80) {
        rest = rest.slice(buried.index + buried[0].length - buried[1]!.length);
        continue;
      }
    }
    break;
  }

  const tags: SubjectTags = { title: rest.trim(), revision: 1, rfc: false, raw, isReply };
  for (const token of raw) {
    const lower = token.toLowerCase();
    const position = POSITION.exec(token);
    if (position && isCount(position[1]!) && isCount(position[2]!)) {
      tags.index = Number(position[1]);
      tags.total = Number(position[2]);
      continue;
    }
    const revision = REVISION.exec(token);
    if (revision && isCount(revision[1]!)) {
      tags.revision = Number(revision[1]);
      if (lower.startsWith('rfc')) tags.rfc = true;
      continue;
    }
    if (lower === 'rfc') {
      tags.rfc = true;
      continue;
    }
    const stableNumber = STABLE_NUMBER.exec(token);
    if (stableNumber) {
      tags.tree = 'stable';
      tags.stableVersion ??= stableNumber[1];
      continue;
    }
    const stableNamed = STABLE_NAMED.exec(token);
    if (stableNamed) {
      tags.tree = 'stable';
      if (stableNamed[1] !== undefined) tags.stableVersion ??= stableNamed[1];
      continue;
    }
    // A stable tag wins over a tree name in the same subject: `[PATCH 5.10 net]` goes to 5.10.
    if (tags.tree === undefined && isTreeToken(lower)) tags.tree = lower;
  }
  return tags;
}
