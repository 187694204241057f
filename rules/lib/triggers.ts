// Rule helpers: build a rule's `triggers` from names in its data (`prefix*` globs allowed).

/** A RegExp matching any of the names as a whole word; `foo*` matches every word starting with foo. */
export function wordsRegExp(names: Iterable<string>): RegExp {
  const parts = [...names].map((n) => (n.endsWith('*') ? escape(n.slice(0, -1)) + '\\w*' : escape(n)));
  return new RegExp(`\\b(?:${parts.join('|')})\\b`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
