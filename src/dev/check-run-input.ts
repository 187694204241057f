// Dev stand-in for GitHub: what the Checks API accepts in a create/update request, and how an update changes a run.

import { ANNOTATIONS_PER_REQUEST, CHECK_OUTPUT_MAX, MESSAGES } from './github-limits.js';
import { errorReply, invalidRequest, isRecord, isoSeconds, type Annotation, type CheckRunState, type Reply } from './stand-in-model.js';

const CHECK_STATUSES = ['queued', 'in_progress', 'completed'] as const;
const CHECK_CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'] as const;
const ANNOTATION_LEVELS = ['notice', 'warning', 'failure'] as const;

/** Schema and limit checks shared by create and update (create also needs `output.title`). */
export function validateCheckRunInput(body: Record<string, unknown>, creating: boolean, docs: string): Reply | undefined {
  if (body.status !== undefined && !CHECK_STATUSES.includes(body.status as (typeof CHECK_STATUSES)[number])) {
    return invalidRequest(MESSAGES.notInEnum('status', body.status, CHECK_STATUSES), docs);
  }
  if (body.conclusion !== undefined && body.conclusion !== null && !CHECK_CONCLUSIONS.includes(body.conclusion as (typeof CHECK_CONCLUSIONS)[number])) {
    return invalidRequest(MESSAGES.notInEnum('conclusion', body.conclusion, CHECK_CONCLUSIONS), docs);
  }
  if (body.status === 'completed' && (body.conclusion === undefined || body.conclusion === null)) {
    return invalidRequest(MESSAGES.conclusionRequired, docs);
  }
  if (body.output === undefined || body.output === null) return undefined;
  if (!isRecord(body.output)) return invalidRequest(`For 'properties/output', ${JSON.stringify(body.output)} is not an object.`, docs);
  const output = body.output;
  const absent = (creating ? ['summary', 'title'] : ['summary']).filter((key) => typeof output[key] !== 'string');
  if (absent.length > 0) return invalidRequest(MESSAGES.notSupplied(absent), docs);
  for (const key of ['summary', 'text'] as const) {
    const value = output[key];
    if (typeof value !== 'string') continue;
    if (value.length > CHECK_OUTPUT_MAX) return invalidRequest(MESSAGES.tooManyCharacters(CHECK_OUTPUT_MAX, value.length), docs);
    // GitHub also counts bytes: short text full of multi-byte characters fails differently (observed).
    if (Buffer.byteLength(value, 'utf8') > CHECK_OUTPUT_MAX) {
      return errorReply(422, 'Validation Failed', docs, {
        errors: [{ resource: 'CheckRun', code: 'custom', field: key, message: `${key} exceeds a maximum bytesize of ${CHECK_OUTPUT_MAX}` }],
      });
    }
  }
  if (output.annotations === undefined) return undefined;
  if (!Array.isArray(output.annotations)) {
    return invalidRequest(`For 'properties/annotations', ${JSON.stringify(output.annotations)} is not an array.`, docs);
  }
  const annotations = output.annotations as unknown[];
  if (annotations.length > ANNOTATIONS_PER_REQUEST) return invalidRequest(MESSAGES.tooManyItems(ANNOTATIONS_PER_REQUEST, annotations.length), docs);
  const lines: string[] = [];
  for (const annotation of annotations) {
    if (!isRecord(annotation)) {
      lines.push(`For 'items', ${JSON.stringify(annotation)} is not an object.`);
      continue;
    }
    const missing = ['annotation_level', 'end_line', 'message', 'path', 'start_line'].filter(
      (key) => annotation[key] === undefined || annotation[key] === null,
    );
    if (missing.length > 0) lines.push(MESSAGES.notSupplied(missing));
    else if (!ANNOTATION_LEVELS.includes(annotation.annotation_level as (typeof ANNOTATION_LEVELS)[number])) {
      lines.push(MESSAGES.notInEnum('annotation_level', annotation.annotation_level, ANNOTATION_LEVELS));
    }
  }
  if (lines.length > 0) return invalidRequest(lines.join('\n'), docs);
  // Past the schema, GitHub's model rejects impossible spans with a terse "invalid annotations" (observed).
  const impossible = (annotations as Record<string, unknown>[]).some((annotation) => {
    const start = annotation.start_line;
    const end = annotation.end_line;
    if (typeof start !== 'number' || typeof end !== 'number' || start < 1 || end < start) return true;
    const columns = annotation.start_column !== undefined || annotation.end_column !== undefined;
    return columns && start !== end; // docs: columns only on a single line
  });
  if (impossible) {
    return errorReply(422, 'Validation Failed', docs, { errors: [{ resource: 'CheckRun', code: 'invalid', field: 'annotations' }] });
  }
  return undefined;
}
/** Records a create/update request on a run: fields replaced, annotations appended, a conclusion completing it. */
export function applyCheckRunInput(run: CheckRunState, body: Record<string, unknown>): void {
  run.updates.push(structuredClone(body));
  if (typeof body.name === 'string') run.name = body.name;
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (typeof body.status === 'string') run.status = body.status;
  // docs: giving a conclusion sets the status to completed.
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
    run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : isoSeconds(Date.now());
  }
  if (isRecord(body.output)) {
    const output = body.output;
    if (typeof output.title === 'string') run.output.title = output.title;
    if (typeof output.summary === 'string') run.output.summary = output.summary;
    if (typeof output.text === 'string') run.output.text = output.text;
    if (Array.isArray(output.annotations)) run.output.annotations.push(...(structuredClone(output.annotations as unknown[]) as Annotation[]));
  }
}
