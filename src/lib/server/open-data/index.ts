/**
 * Open data: the bulk downloads of every public record, their licence and their summaries.
 * Import as `import * as openData from '$lib/server/open-data'`.
 */
export * from './datasets';
export * from './licence';
export * from './responses';
export * from './feeds';
export * from './json-ld';
