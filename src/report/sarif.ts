// Report stage: SARIF 2.1.0 output, for GitHub code scanning and other static-analysis dashboards.

import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { DocRef, Finding, Fix, SectionKey, Severity } from '../engine/finding.js';
import { formatKernelVersion } from '../kernel/version.js';
import type { PatchReview, RuleInfo, RunResult } from '../review/result.js';
import { toolInfo } from './tool.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Result paths are relative to the root of the kernel tree; the consumer (code scanning: the repository) binds it. */
export const SRCROOT = 'SRCROOT';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * Section headings as the current document writes them. Rule descriptors are version-independent, so they name
 * the current heading; each result's own citation (in its properties) names the target tree's.
 */
const SECTION_TITLE: Record<SectionKey, string> = {
  lifetime: 'struct net_device lifetime rules',
  mtu: 'MTU',
  sync: 'struct net_device synchronization rules',
  napi: 'struct napi_struct synchronization rules',
  'instance-lock': 'netdev instance lock',
  'kernel-locking': 'Documentation/kernel-hacking/locking.rst',
};

/**
 * Renders a run as one SARIF 2.1.0 log (OASIS sarif-v2.1.0, restricted to what GitHub's "SARIF support for code
 * scanning" reads): one run whose `tool.driver.rules` come from `RunResult.rules`; one result per finding with
 * `ruleId` and `ruleIndex`, `level`, `message.text`, a relative `artifactLocation` under `SRCROOT` and a line
 * region, `partialFingerprints.primaryLocationLineHash` (the only fingerprint code scanning uses), and `fixes`.
 * Unreadable inputs, skipped patches and notes go to `invocations[0].toolExecutionNotifications`.
 */
export function renderSarif(run: RunResult): string {
  const tool = toolInfo();
  const rules = run.rules.map(ruleDescriptor);
  const ruleIndex = new Map(run.rules.map((r, i) => [r.id, i]));
  const fingerprints = new Fingerprints();
  const results: Sarif.Result[] = [];
  for (const review of run.reviews) {
    for (const f of review.findings) {
      let index = ruleIndex.get(f.ruleId);
      if (index === undefined) {
        // A finding from a rule the catalog did not list still needs a descriptor for its ruleIndex to point at.
        index = rules.push(unlistedRuleDescriptor(f)) - 1;
        ruleIndex.set(f.ruleId, index);
      }
      results.push(sarifResult(f, index, review, fingerprints.next(f)));
    }
  }

  const driver: Sarif.ToolComponent = { name: tool.name, version: tool.version };
  // Code scanning tracks result changes across tool versions by semanticVersion when it is there.
  if (/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(tool.version)) driver.semanticVersion = tool.version;
  if (tool.informationUri !== undefined) driver.informationUri = tool.informationUri;
  driver.rules = rules;

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        // A uriBaseId must be declared to keep the log valid; without a `uri` it is left for the consumer to resolve.
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the kernel tree the patches apply to.' } } },
        invocations: [
          {
            executionSuccessful: run.inputErrors.length === 0,
            toolExecutionNotifications: notifications(run),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleDescriptor(rule: RuleInfo): Sarif.ReportingDescriptor {
  const section = sectionTitle(rule.doc);
  const properties: Sarif.PropertyBag = {
    tags: ['netdev', 'linux-kernel'],
    fixable: rule.fixable,
    docSection: rule.doc.section,
  };
  if (rule.doc.entry !== undefined) properties['docEntry'] = rule.doc.entry;
  if (rule.since !== undefined) properties['since'] = rule.since;
  if (rule.until !== undefined) properties['until'] = rule.until;
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.description },
    // Code scanning requires fullDescription and help; the rule's document section is what explains it.
    fullDescription: { text: `${rule.description} See the kernel document, ${section}.` },
    help: {
      text: `${rule.description}\nSee ${rule.helpUri}`,
      markdown: `${rule.description}\n\nSee [${section}](${rule.helpUri}).`,
    },
    helpUri: rule.helpUri,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties,
  };
}

function sectionTitle(doc: DocRef): string {
  return doc.entry !== undefined ? `${SECTION_TITLE[doc.section]} › ${doc.entry}` : SECTION_TITLE[doc.section];
}

function unlistedRuleDescriptor(f: Finding): Sarif.ReportingDescriptor {
  return {
    id: f.ruleId,
    name: f.ruleId,
    shortDescription: { text: f.ruleId },
    fullDescription: { text: `See the kernel document, ${sectionTitle(f.doc)}.` },
    help: { text: `See the kernel document, ${sectionTitle(f.doc)}${f.citation !== undefined ? `: ${f.citation.url}` : '.'}` },
    defaultConfiguration: { level: LEVEL[f.severity] },
  };
}

function sarifResult(f: Finding, ruleIndex: number, review: PatchReview, fingerprint: string): Sarif.Result {
  const artifactLocation = artifact(f.file);
  const properties: Sarif.PropertyBag = {
    patch: review.patch.origin,
    kernel: formatKernelVersion(review.target.version),
  };
  if (review.patch.subject !== undefined) properties['subject'] = review.patch.subject;
  if (f.scope !== undefined) properties['scope'] = f.scope;
  if (f.chain !== undefined) properties['chain'] = [...f.chain];
  if (f.citation !== undefined) properties['citation'] = { ...f.citation };
  if (f.inputLine !== undefined) properties['inputLine'] = f.inputLine;

  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation, region: region(f) } }],
    partialFingerprints: { primaryLocationLineHash: fingerprint },
    properties,
  };
  if (f.fix !== undefined) result.fixes = [sarifFix(f.fix, artifactLocation)];
  return result;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * File paths become relative URI references: each segment percent-encoded, so `#`, `%` or spaces stay in the
 * path. A lone surrogate (a mis-decoded name) has no UTF-8 form to encode and becomes U+FFFD.
 */
function artifact(file: string): Sarif.ArtifactLocation {
  const relative = file.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(LONE_SURROGATE, '\ufffd');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The finding's lines, narrowed to the code (indentation and trailing blanks excluded) where its text is known. */
function region(f: Finding): Sarif.Region {
  const startLine = sarifLine(f.line);
  const endLine = Math.max(sarifLine(f.endLine ?? f.line), startLine);
  const r: Sarif.Region = { startLine, endLine };
  const text = f.sourceLine;
  if (text !== undefined && text.trim() !== '' && !/[\r\n]/.test(text)) {
    r.startColumn = text.length - text.trimStart().length + 1;
    if (endLine === startLine) r.endColumn = text.trimEnd().length + 1;
  }
  return r;
}

/**
 * A line as SARIF requires it: an integer from 1. A finding's line should always be one, but a region with line
 * 0, a negative, fractional or non-finite (null in JSON) line makes consumers reject the whole log, so such a
 * line is written as 1.
 */
function sarifLine(line: number): number {
  // Below the largest safe integer, so the line after it (a fix's deleted region ends there) is exact too.
  return Number.isSafeInteger(line) && line >= 1 && line < Number.MAX_SAFE_INTEGER ? line : 1;
}

/**
 * Replaces whole lines `fix.line..fix.endLine`. A region without columns stops before the newline of its last
 * line, so the deleted region runs to column 1 of the line after, and the inserted text ends with a newline.
 */
function sarifFix(fix: Fix, artifactLocation: Sarif.ArtifactLocation): Sarif.Fix {
  // Lines as in region(); an end before the start is taken as the start, so the region stays in order.
  const startLine = sarifLine(fix.line);
  const endLine = Math.max(sarifLine(fix.endLine), startLine);
  const replacement: Sarif.Replacement = {
    deletedRegion: { startLine, startColumn: 1, endLine: endLine + 1, endColumn: 1 },
  };
  if (fix.replacement !== '') replacement.insertedContent = { text: fix.replacement.replace(/\n?$/, '\n') };
  return {
    description: { text: fix.description },
    artifactChanges: [{ artifactLocation: { ...artifactLocation }, replacements: [replacement] }],
  };
}

/**
 * `primaryLocationLineHash` values: a hash of rule, file and the offending line's text with blanks normalized —
 * not its number, so the alert survives lines moving — then `:n` for the n-th identical one (as codeql-action's
 * fingerprints do), so two identical lines in one file stay two alerts.
 */
class Fingerprints {
  private readonly seen = new Map<string, number>();

  next(f: Finding): string {
    const text = (f.sourceLine ?? f.message).replace(/\s+/g, ' ').trim();
    const hash = createHash('sha256').update(`${f.ruleId}\0${f.file}\0${text}`).digest('hex').slice(0, 16);
    const n = (this.seen.get(hash) ?? 0) + 1;
    this.seen.set(hash, n);
    return `${hash}:${n}`;
  }
}

function notifications(run: RunResult): Sarif.Notification[] {
  const out: Sarif.Notification[] = run.inputErrors.map((e) => ({
    level: 'error',
    message: { text: e.message },
    properties: { origin: e.origin },
  }));
  for (const review of run.reviews) {
    const origin = review.patch.origin;
    if (review.skipped !== undefined) {
      out.push({ level: 'note', message: { text: `${origin}: not reviewed: ${review.skipped}` }, properties: { origin } });
    }
    for (const n of review.notes) out.push({ level: 'note', message: { text: `${origin}: ${n}` }, properties: { origin } });
  }
  return out;
}
