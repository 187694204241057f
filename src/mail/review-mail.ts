// Mail way in: review one stored mail — read its messages, review each patch, build its triage records.

import type { Rule } from '../engine/rule.js';
import { readPatches, InputError } from '../ingest/read-input.js';
import { reviewPatch } from '../review/review-patch.js';
import { triagePatch, type PatchTriage } from './triage.js';

/** The triage record stored for one mail (a mail normally carries one message). */
export interface MailTriage {
  mailId: number;
  patches: PatchTriage[];
}

/** A mail that can never be reviewed (not a mail, no patch, binary): retrying would fail the same way. */
export class PermanentMailError extends Error {
  override readonly name = 'PermanentMailError';
}

/** Reviews a raw mail; `id` is its arrival order, which series assembly uses. */
export async function reviewMail(raw: Buffer, id: number, rules: readonly Rule[]): Promise<MailTriage> {
  let patches;
  try {
    patches = await readPatches(raw, `mail ${id}`);
  } catch (error) {
    if (error instanceof InputError) throw new PermanentMailError(error.message);
    throw error;
  }
  const out: PatchTriage[] = [];
  for (const patch of patches) {
    const review = await reviewPatch(patch, { rules, audit: false });
    out.push({ ...triagePatch(patch, review), ordinal: id });
  }
  return { mailId: id, patches: out };
}

/** The findings of a mail's triage record (for metrics): every finding of every patch. */
export function mailFindings(triage: unknown): { ruleId: string; severity: string }[] {
  return ((triage as Partial<MailTriage> | undefined)?.patches ?? []).flatMap((p) => (p.findings ?? []).map((f) => ({ ruleId: f.ruleId, severity: f.severity })));
}
