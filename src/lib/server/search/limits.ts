/**
 * Limits both engines apply alike, so SQLite and Meilisearch answer one request the same way
 * (the conformance suite runs against both).
 */

/** The largest page of hits an engine returns (the API's `limit` stops there too). */
export const MAX_PER_PAGE = 100;

/**
 * The deepest hit paging reaches (Meilisearch's `pagination.maxTotalHits`); a page past it is
 * empty. Nobody reads that far, and deep offsets cost the engine more than they are worth.
 */
export const MAX_RESULT_DEPTH = 10_000;

/** The most values of one facet a filter uses (the page and API stop at fewer). */
export const MAX_FILTER_VALUES = 50;
