// Mail way in: the triage page — a plain server-rendered table of recent series, filterable by tree and
// "relevant only", linking each patch to its findings (JSON) and its reply draft.

import type { TriageView } from './triage-routes.js';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const TREES = ['', 'net', 'net-next', 'stable', 'other', 'none'];

/** The page's HTML (no script: works with anything that renders a table). */
export function renderTriagePage(view: TriageView, filter: { tree?: string; relevantOnly?: boolean }): string {
  const rows = view.series.map((s) => {
    const patches = s.mails
      .map(({ mailId, triage }) => {
        const n = triage.counts.error + triage.counts.warning + triage.counts.info;
        const label = `${triage.index ?? 1}/${triage.total ?? 1}`;
        const reply = n > 0 ? ` <a class="reply" href="/api/triage/patch/${mailId}/reply.eml">reply</a>` : '';
        return `<li><a class="patch" href="/api/triage/series/${encodeURIComponent(s.key)}#${esc(triage.messageId)}" title="${esc(triage.subject)}">${esc(label)}</a> ${n > 0 ? `<span class="findings">${n} finding${n > 1 ? 's' : ''}</span>` : ''}${reply}</li>`;
      })
      .join('');
    const tree = s.tree === 'stable' ? `stable ${esc(s.stableVersion)}` : esc(s.treeName ?? s.tree);
    return `<tr class="series${s.relevant ? ' relevant' : ''}${s.supersededBy ? ' superseded' : ''}" data-key="${esc(s.key)}">
  <td class="title"><a href="/api/triage/series/${encodeURIComponent(s.key)}">${esc(s.title)}</a>${s.supersededBy ? ' <em>(superseded)</em>' : ''}${s.pullRequest ? ' <em>(pull request)</em>' : ''}</td>
  <td>${esc(s.author)}</td><td class="tree">${tree}</td><td>v${esc(s.revision)}</td>
  <td>${s.patches.length}/${esc(s.total)}<ul>${patches}</ul></td>
  <td class="relevant">${s.relevant ? 'yes' : 'no'}</td>
  <td class="counts">${s.counts.error} / ${s.counts.warning} / ${s.counts.info}</td><td>${esc(s.replies)}</td>
</tr>`;
  });
  const options = TREES.map((t) => `<option value="${t}"${(filter.tree ?? '') === t ? ' selected' : ''}>${t === '' ? 'all trees' : t}</option>`).join('');
  const c = view.counts;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netdev-review triage</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
tr.relevant td.relevant{font-weight:bold}tr.superseded{color:#888}ul{margin:0;padding-left:1.2em}.findings{color:#b00}</style></head>
<body><h1>Patch triage</h1>
<p class="queue">Mails: ${esc(c.reviewed ?? 0)} reviewed, ${esc(c.pending ?? 0)} pending, ${esc(c.reviewing ?? 0)} in review, ${esc(c.failed ?? 0)} failed.</p>
<form method="get" action="/triage"><label>Tree <select name="tree">${options}</select></label>
<label><input type="checkbox" name="relevant" value="1"${filter.relevantOnly ? ' checked' : ''}> relevant only</label> <button type="submit">Filter</button></form>
<table><thead><tr><th>Series</th><th>Author</th><th>Tree</th><th>Version</th><th>Patches</th><th>Relevant</th><th>Errors / warnings / infos</th><th>Replies</th></tr></thead>
<tbody>
${rows.join('\n') || '<tr><td colspan="8">No series yet.</td></tr>'}
</tbody></table></body></html>
`;
}
