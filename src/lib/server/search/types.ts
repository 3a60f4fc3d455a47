import type { searchRecordTypes, searchVisibilities } from '$lib/server/db/schema';

/** What a search can find. Needs and offers are indexed once their pages exist (issue 5). */
export type RecordType = (typeof searchRecordTypes)[number];
export type Visibility = (typeof searchVisibilities)[number];

/** Facets in the order the sidebar shows them; names are the query-string names of API.md. */
export const facetNames = [
	'type',
	'theme',
	'sdg',
	'region',
	'country',
	'income',
	'domain',
	'technology',
	'cooperation',
	'year'
] as const;
export type FacetName = (typeof facetNames)[number];

/** Facets stored on a document; `type` is the document's own type. */
export type DocumentFacetName = Exclude<FacetName, 'type'>;

/**
 * Who is asking: anyone sees public documents; members of verified organisations and moderators
 * also see documents restricted to verified organisations.
 */
export type Audience = 'public' | 'verified';

/** One searchable record, identical for every engine. */
export interface SearchDocument {
	/** `${type}:${recordId}` */
	ref: string;
	type: RecordType;
	recordId: string;
	title: string;
	summary: string;
	/** Tag labels in every UI language, place and organisation names: matched, never shown. */
	keywords: string;
	/** Plain text of the long fields, Markdown removed. */
	body: string;
	/** Site path without locale prefix, e.g. `/cases/brt-in-lagos`. */
	path: string;
	language: string;
	visibility: Visibility;
	/** Values per facet; a year facet lists every year the record covers, as strings. */
	facets: Partial<Record<DocumentFacetName, string[]>>;
	/** Shown on a hit: e.g. { country: 'KE', city: 'Nairobi', organisation: 'Nairobi City County' }. */
	meta: Record<string, string | null>;
	sortDate: Date;
}

export type SearchSort = 'relevance' | 'newest';

export interface SearchRequest {
	/** Raw user query: words, "phrases", -exclusions; empty lists everything visible. */
	q: string;
	/** AND across facets, OR within one facet's values. */
	filters: Partial<Record<FacetName, string[]>>;
	sort: SearchSort;
	/** 1-based. */
	page: number;
	perPage: number;
	audience: Audience;
}

export interface SearchHit {
	type: RecordType;
	/** The record's id in its own table (slug for case studies and organisations is in `path`). */
	id: string;
	title: string;
	/** HTML-safe: text is escaped, matched words wrapped in <mark>…</mark>. */
	snippet: string;
	path: string;
	meta: Record<string, string | null>;
	sortDate: Date;
}

export interface SearchResult {
	hits: SearchHit[];
	total: number;
	/**
	 * Counts per facet value over what the asker may see; each facet's counts apply every other
	 * active filter but not its own, so choosing a second value of one facet is always possible.
	 */
	facets: Record<FacetName, Record<string, number>>;
	/** The query as searched after typo correction, when the engine changed a word; else null. */
	corrected: string | null;
	tookMs: number;
}

export interface EngineHealth {
	engine: 'sqlite' | 'meilisearch';
	status: 'ok' | 'error';
	/** Changes written but not yet delivered (Meilisearch only). */
	pending?: number;
	/** Age in seconds of the oldest undelivered change (Meilisearch only). */
	lagSeconds?: number;
}

/** One interface, two engines (SQLite FTS5, Meilisearch), one conformance suite. */
export interface SearchEngine {
	readonly name: 'sqlite' | 'meilisearch';
	search(request: SearchRequest): Promise<SearchResult>;
	health(): Promise<EngineHealth>;
	/**
	 * Adds or replaces documents and resolves once they are searchable. Used by the reindex
	 * command, the Meilisearch outbox worker and the conformance suite; the app's own writes go
	 * through `sync.ts` inside the record's transaction.
	 */
	index(documents: SearchDocument[]): Promise<void>;
	remove(refs: string[]): Promise<void>;
	/** Removes every document (before a full rebuild). */
	clear(): Promise<void>;
}
