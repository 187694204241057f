// Citations stage: the HTML id Sphinx gives a reST section title, so links can point at a heading.

// Sphinx takes section ids from docutils' nodes.make_id(): lower-case, fold a few letters and
// digraphs to ASCII, drop the rest of non-ASCII, turn every run of other characters (underscore
// included) into one hyphen, then strip leading digits/hyphens and trailing hyphens. Checked
// against kernel.org itself: statistics.rst's "struct rtnl_link_stats64" is linked as
// #struct-rtnl-link-stats64 and netdevices.rst's "MTU" as #mtu.
const DIGRAPHS: Record<string, string> = { 'ß': 'sz', 'æ': 'ae', 'œ': 'oe', 'ȸ': 'db', 'ȹ': 'qp' };
const LETTERS: Record<string, string> = { 'ø': 'o', 'đ': 'd', 'ħ': 'h', 'ı': 'i', 'ł': 'l', 'ŧ': 't', 'ƀ': 'b' };

/** The anchor (without `#`) Sphinx generates for a heading, e.g. "struct net_device lifetime rules" → "struct-net-device-lifetime-rules". */
export function makeSphinxId(title: string): string {
  let id = title.toLowerCase();
  id = Array.from(id, (c) => DIGRAPHS[c] ?? LETTERS[c] ?? c).join('');
  id = id.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  id = id.split(/\s+/).filter(Boolean).join(' ').replace(/[^a-z0-9]+/g, '-');
  return id.replace(/^[-0-9]+|-+$/g, '');
}
