// Citations stage: what the rest of the pipeline uses — load a document, resolve the target kernel, cite a DocRef.

export { cite, type CitationContext } from './cite.js';
export { loadDocument, locate, findSection, findEntry, docSays, type DocOrigin, type NetdevDoc, type DocSection, type DocEntry } from './document.js';
export { readMakefileVersion, readTreeVersion, resolveTarget, readTreeDocument, type Target, type TargetInputs } from './target-version.js';
export { canonicalEntry, entryAliases, sectionKeyOfTitle, SECTION_TITLES, type NetdevSectionKey } from './aliases.js';
export { makeSphinxId } from './sphinx-id.js';
