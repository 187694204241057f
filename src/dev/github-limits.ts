// Dev stand-in for GitHub: the documented limits and the exact error bodies GitHub answers with, in one place.

/*
 * Each constant names its source. "observed" means the wording was seen in real GitHub answers
 * quoted by other projects (issues, tests); "docs" means docs.github.com / the OpenAPI
 * description; "unverified" marks wording chosen here because no real answer was found, so
 * the app must not match on it (match on the status and on the verified words only).
 */

/** docs: "Responses include a maximum of 3000 files" (list pull request files). */
export const PULL_FILES_LIMIT = 3000;
/** docs: the paginated list endpoints return 30 items per page unless `per_page` says otherwise. */
export const DEFAULT_PER_PAGE = 30;
/** docs: `per_page` "(max 100)". */
export const MAX_PER_PAGE = 100;
/** docs: "The Checks API limits the number of annotations to a maximum of 50 per API request". */
export const ANNOTATIONS_PER_REQUEST = 50;
/** docs: check run `output.summary` / `output.text` "Maximum length: 65535 characters". */
export const CHECK_OUTPUT_MAX = 65535;
/**
 * docs (get repository content): up to 1 MB every media type works; 1–100 MB only `raw` and
 * `object`, and JSON answers carry `content: ""` and `encoding: "none"`; over 100 MB unsupported.
 * GitHub says "1 MB" without saying which; the stand-in takes 1 MiB.
 */
export const CONTENTS_INLINE_MAX = 1024 * 1024;
/** docs: over 100 MB "this endpoint is not supported"; the stand-in answers 403 too_large. */
export const CONTENTS_MAX = 100 * 1024 * 1024;
/** Longest review / comment body GitHub stores (its 65,536-character text limit; the 422 wording is unverified). */
export const BODY_MAX = 65536;
/** A primary rate limit an installation gets at the least (docs: 5,000 requests per hour). */
export const RATE_LIMIT = 5000;

/** Where GitHub's error bodies point; Octokit appends it to the error message. */
export const DOCS = {
  root: 'https://docs.github.com/rest',
  accessToken: 'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app',
  contents: 'https://docs.github.com/rest/repos/contents#get-repository-content',
  createReview: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
  reply: 'https://docs.github.com/rest/pulls/comments#create-a-reply-for-a-review-comment',
  createCheckRun: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
  updateCheckRun: 'https://docs.github.com/rest/checks/runs#update-a-check-run',
  rateLimit: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  graphqlAuth: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
} as const;

/** The words GitHub uses; see the file comment for what each source label means. */
export const MESSAGES = {
  /** observed (2026): a review comment whose line is outside every hunk of its side. */
  lineUnresolved: 'Line could not be resolved',
  /** observed (2026): a review comment on a file the pull request does not change. */
  pathUnresolved: 'Path could not be resolved',
  /** observed (2025, older wording family): start line in another hunk than the line. */
  startLineOtherHunk: 'Pull request review thread start line must be part of the same hunk as the line.',
  /** observed for single comments (2022: `start_line must precede the end line`); review wording unverified. */
  startLineNotBefore: 'Pull request review thread start line must precede the end line.',
  /** observed (2026): an `event` outside APPROVE / REQUEST_CHANGES / COMMENT. */
  badEvent: 'Variable $event of type PullRequestReviewEvent was provided invalid value',
  /** observed (2026): a `commit_id` that is not a commit of the pull request. */
  badCommit: 'The commitOID is not part of the pull request',
  /** observed (2026): a second review left pending. */
  onePending: 'User can only have one pending review per pull request',
  /** docs say body is required for COMMENT / REQUEST_CHANGES; the 422 is observed, these words unverified. */
  bodyRequired: 'Body is required for COMMENT and REQUEST_CHANGES events',
  /** unverified wording for a review or comment body over 65536 characters. */
  bodyTooLong: 'Body is too long (maximum is 65536 characters)',
  /** observed: too many annotations in one check-run request. */
  tooManyItems: (max: number, given: number) => `Invalid request.\n\nNo more than ${max} items are allowed; ${given} were supplied.`,
  /** observed: check run summary/text longer than 65535 characters. */
  tooManyCharacters: (max: number, given: number) => `Invalid request.\n\nOnly ${max} characters are allowed; ${given} were supplied.`,
  /** observed: required properties missing from a check-run request (one line per object). */
  notSupplied: (names: string[]) =>
    names.length === 1
      ? `"${names[0]}" wasn't supplied.`
      : `${names.map((name) => `"${name}"`).join(', ')} weren't supplied.`,
  /** unverified wording for a value outside an enum in a check-run request. */
  notInEnum: (property: string, value: unknown, allowed: readonly string[]) =>
    `For 'properties/${property}', ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}.`,
  /** unverified wording: status `completed` without a conclusion. */
  conclusionRequired: 'Invalid request.\n\nconclusion is required when status is completed.',
  /** docs ("Client errors"): a body that is not valid JSON. */
  badJson: 'Problems parsing JSON',
  /** docs ("Client errors"): valid JSON that is not an object. */
  notAnObject: 'Body should be a JSON object',
  /** observed: an App JWT that cannot be decoded. */
  badJwt: 'A JSON web token could not be decoded',
  /** observed: a wrong token. */
  badCredentials: 'Bad credentials',
  /** observed: no token where one is needed. */
  requiresAuthentication: 'Requires authentication',
  /** observed: GraphQL without a token (HTTP 401). */
  graphqlUnauthenticated: 'This endpoint requires you to be authenticated.',
  /** observed: wording Octokit's throttling plugin recognises (`/\bsecondary rate\b/i`). */
  secondaryRateLimit:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
  /** observed shape: primary limit spent (installation tokens name their installation). */
  primaryRateLimit: (installationId: number) => `API rate limit exceeded for installation ID ${installationId}.`,
  /** observed (older, 1 MB era) too_large answer, kept for files over the 100 MB limit. */
  blobTooLarge:
    'This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.',
} as const;

/** Joins error phrases the way GitHub (Rails `to_sentence`) does: "a, b, and c". */
export function toSentence(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}`;
}
