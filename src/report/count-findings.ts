// Report stage: severity totals, shared by the summary lines of every format.

import type { Finding } from '../engine/finding.js';

export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** How many findings of each severity there are. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}
