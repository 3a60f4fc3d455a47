/**
 * The Meilisearch engine (chosen by MEILISEARCH_HOST). Request building and response mapping are
 * pure exported functions, unit-tested without a server; the engine object only moves them over
 * the official client. Documents reach Meilisearch through the outbox worker (outbox.ts), never
 * from a request, so a Meilisearch outage cannot fail a write.
 */
import {
	Meilisearch,
	MeilisearchApiError,
	type EnqueuedTaskPromise,
	type Filter,
	type Hit,
	type MultiSearchQuery,
	type SearchResponse,
	type Settings
} from 'meilisearch';
import type { Db } from '$lib/server/db';
import { MAX_FILTER_VALUES, MAX_PER_PAGE, MAX_RESULT_DEPTH } from './limits';
import * as outbox from './outbox';
import {
	foldWord,
	formatQuery,
	parseQuery,
	rawWordsOf,
	stopWords,
	type ParsedQuery,
	type QueryClause
} from './query';
import { markEnd, markStart, markersToHtml, stripMarkers } from './snippet';
import { minWordSizeForTypos, typoDistance } from './typo';
import {
	facetNames,
	type Audience,
	type DocumentFacetName,
	type EngineHealth,
	type FacetName,
	type RecordType,
	type SearchDocument,
	type SearchEngine,
	type SearchHit,
	type SearchRequest,
	type SearchResult
} from './types';

export type MeilisearchOptions = {
	host: string;
	apiKey?: string | null;
	/** The index uid, e.g. `citybridge`. */
	index: string;
	/** With the database, health() also reports the outbox lag. */
	db?: Db;
	/** Per HTTP request; a hung server must not hold a search or the worker forever. */
	timeoutMs?: number;
};

export type MeilisearchEngine = SearchEngine & {
	/** Creates the index if needed and applies `indexSettings` when they differ; idempotent. */
	applySettings(): Promise<void>;
	/** How many documents the index holds. */
	documentCount(): Promise<number>;
};

const documentFacetNames = facetNames.filter((name): name is DocumentFacetName => name !== 'type');

/** What Meilisearch stores per document: facets flattened to top-level filterable arrays. */
export type MeiliDocument = Omit<SearchDocument, 'facets' | 'sortDate'> & {
	/** The ref in Meilisearch's id alphabet (encodeRef). */
	id: string;
	/** Milliseconds since the epoch: sortable as a number. */
	sortDate: number;
} & Record<DocumentFacetName, string[]>;

/**
 * The index settings. `sort` ranks first so "newest" is strictly by date; a query without a sort
 * parameter skips that rule and ranks by relevance. Typo sizes are Meilisearch's defaults, stated
 * so the conformance suite and the FTS5 engine (typo.ts) agree on them. The stop words are the
 * query parser's: it already drops them from a query, Meilisearch also leaves them out of phrases.
 */
export const indexSettings = {
	searchableAttributes: ['title', 'summary', 'keywords', 'body'],
	filterableAttributes: ['type', 'visibility', ...documentFacetNames],
	sortableAttributes: ['sortDate'],
	rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
	typoTolerance: { enabled: true, minWordSizeForTypos: { ...minWordSizeForTypos } },
	faceting: { maxValuesPerFacet: 200 },
	pagination: { maxTotalHits: MAX_RESULT_DEPTH },
	stopWords: [...stopWords]
} satisfies Settings;

const INDEX_BATCH = 1000;

const plainRecordId = /^[A-Za-z0-9_]+$/;

/**
 * Meilisearch ids allow only A–Z, a–z, 0–9, '-' and '_', so `case_study:abc` becomes
 * `case_study-abc`. Types never contain '-', so the first '-' splits the id again; a record id
 * outside the plain charset (never produced by randomId) is base64url-encoded behind '--'.
 */
export function encodeRef(ref: string): string {
	const colon = ref.indexOf(':');
	const type = ref.slice(0, colon);
	if (colon <= 0 || !plainRecordId.test(type)) throw new Error(`Not a search ref: ${ref}`);
	const recordId = ref.slice(colon + 1);
	return plainRecordId.test(recordId)
		? `${type}-${recordId}`
		: `${type}--${Buffer.from(recordId, 'utf8').toString('base64url')}`;
}

export function decodeRef(id: string): string {
	const dash = id.indexOf('-');
	if (dash <= 0) throw new Error(`Not an encoded search ref: ${id}`);
	const type = id.slice(0, dash);
	const rest = id.slice(dash + 1);
	return rest.startsWith('-')
		? `${type}:${Buffer.from(rest.slice(1), 'base64url').toString('utf8')}`
		: `${type}:${rest}`;
}

export function toMeiliDocument(document: SearchDocument): MeiliDocument {
	const facets = Object.fromEntries(
		documentFacetNames.map((name) => [name, [...new Set(document.facets[name] ?? [])]])
	) as Record<DocumentFacetName, string[]>;
	return {
		id: encodeRef(document.ref),
		ref: document.ref,
		type: document.type,
		recordId: document.recordId,
		// The highlight markers must only ever come from Meilisearch.
		title: stripMarkers(document.title),
		summary: stripMarkers(document.summary),
		keywords: document.keywords,
		body: stripMarkers(document.body),
		path: document.path,
		language: document.language,
		visibility: document.visibility,
		meta: document.meta,
		sortDate: document.sortDate.getTime(),
		...facets
	};
}

/** A string literal in Meilisearch's filter syntax: backslashes and double quotes escaped. */
export function quoteFilterValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Every query carries it: 'public' never sees a document restricted to verified organisations. */
export function audienceFilter(audience: Audience): string {
	return audience === 'verified' ? 'visibility IN ["public", "verified"]' : 'visibility = "public"';
}

/**
 * AND across facets, OR within one (an inner array); `without` leaves one facet's own group out,
 * for that facet's disjunctive counts.
 */
export function buildFilter(
	audience: Audience,
	filters: SearchRequest['filters'],
	without?: FacetName
): Filter {
	const groups: (string | string[])[] = [audienceFilter(audience)];
	for (const name of facetNames) {
		if (name === without) continue;
		const values = [...new Set(filters[name] ?? [])].slice(0, MAX_FILTER_VALUES);
		if (values.length > 0)
			groups.push(values.map((value) => `${name} = ${quoteFilterValue(value)}`));
	}
	return groups;
}

/**
 * The parsed query in Meilisearch's syntax, so both engines read a query alike: stop words and
 * terms over the cap left out, "phrases" and -exclusions kept. Meilisearch treats the last word
 * as a prefix unless the query ends with a space, so one is added when the parser says no prefix.
 */
export function meilisearchQuery(parsed: ParsedQuery): string {
	const searched = parsed.clauses.filter((clause) => !clause.ignored);
	const text = searched
		.map((clause) => {
			const body = clause.kind === 'phrase' ? `"${rawWordsOf(clause.raw).join(' ')}"` : clause.raw;
			return clause.negated ? `-${body}` : body;
		})
		.join(' ');
	return text === '' || searched.at(-1)?.prefix ? text : `${text} `;
}

function activeFacets(filters: SearchRequest['filters']): FacetName[] {
	return facetNames.filter((name) => (filters[name]?.length ?? 0) > 0);
}

/**
 * The main query plus one facet-only query per facet with an active filter, whose filter leaves
 * that facet's own group out: choosing a second value of a facet stays possible.
 */
export function buildMultiSearch(indexUid: string, request: SearchRequest): MultiSearchQuery[] {
	const parsed = parseQuery(request.q);
	const q = meilisearchQuery(parsed);
	const active = activeFacets(request.filters);
	// No page past the deepest hit has any, so the page number stops there too.
	const page = Math.min(Math.max(1, Math.trunc(request.page) || 1), MAX_RESULT_DEPTH);
	const hitsPerPage = Math.min(Math.max(1, Math.trunc(request.perPage) || 1), MAX_PER_PAGE);
	const main: MultiSearchQuery = {
		indexUid,
		q,
		filter: buildFilter(request.audience, request.filters),
		page,
		hitsPerPage,
		// Without words there is nothing to rank, so everything lists newest first.
		...(request.sort === 'newest' || parsed.required.length === 0
			? { sort: ['sortDate:desc'] }
			: {}),
		facets: facetNames.filter((name) => !active.includes(name)),
		matchingStrategy: 'all',
		attributesToRetrieve: [
			'ref',
			'type',
			'recordId',
			'title',
			'summary',
			'path',
			'meta',
			'sortDate'
		],
		attributesToHighlight: ['title', 'summary', 'body'],
		attributesToCrop: ['summary:40', 'body:30'],
		cropMarker: '…',
		highlightPreTag: markStart,
		highlightPostTag: markEnd
	};
	const facetQueries: MultiSearchQuery[] = active.map((name) => ({
		indexUid,
		q,
		filter: buildFilter(request.audience, request.filters, name),
		facets: [name],
		limit: 0,
		matchingStrategy: 'all'
	}));
	return [main, ...facetQueries];
}

/** The fields the main query retrieves, with Meilisearch's formatted (cropped, marked) copies. */
export type StoredHit = Hit<{
	id?: string;
	ref?: string;
	type: RecordType;
	recordId: string;
	title: string;
	summary?: string;
	body?: string;
	path: string;
	meta?: Record<string, string | null>;
	sortDate: number;
}>;

const markedSpan = new RegExp(`${markStart}([^${markStart}${markEnd}]*)${markEnd}`, 'g');

/** The summary's crop, unless only the body matched: then the body's crop around the match. */
export function snippetFor(hit: StoredHit): string {
	const formatted = hit._formatted ?? {};
	const summary = typeof formatted.summary === 'string' ? formatted.summary : (hit.summary ?? '');
	const body = typeof formatted.body === 'string' ? formatted.body : '';
	const useBody = !summary.includes(markStart) && body.includes(markStart);
	return markersToHtml(useBody ? body : summary);
}

export function toSearchHit(hit: StoredHit): SearchHit {
	return {
		type: hit.type,
		id:
			hit.recordId ??
			decodeRef(hit.id ?? '')
				.split(':')
				.slice(1)
				.join(':'),
		title: hit.title,
		snippet: snippetFor(hit),
		path: hit.path,
		meta: hit.meta ?? {},
		sortDate: new Date(hit.sortDate)
	};
}

/**
 * Best effort: a searched word that no hit shows as typed (or as a prefix) but that is a tolerated
 * typo of a word Meilisearch highlighted was matched through that typo; the query with those
 * words replaced is what was searched. Null when no word was corrected.
 */
export function correctedQuery(q: string, hits: StoredHit[]): string | null {
	const highlighted = new Set<string>();
	for (const hit of hits.slice(0, 10)) {
		for (const value of Object.values(hit._formatted ?? {})) {
			if (typeof value !== 'string') continue;
			for (const match of value.matchAll(markedSpan)) {
				for (const word of rawWordsOf(match[1])) highlighted.add(foldWord(word));
			}
		}
	}
	if (highlighted.size === 0) return null;
	const parsed = parseQuery(q);
	const replacements = new Map<QueryClause, string>();
	for (const clause of parsed.required) {
		if (clause.kind !== 'word') continue;
		const [word] = clause.words;
		if ([...highlighted].some((term) => term.startsWith(word))) continue;
		let best: { term: string; distance: number } | null = null;
		for (const term of highlighted) {
			const distance = typoDistance(word, term);
			if (distance !== null && (!best || distance < best.distance)) best = { term, distance };
		}
		if (best) replacements.set(clause, best.term);
	}
	return replacements.size > 0 ? formatQuery(parsed, replacements) : null;
}

function emptyFacets(): SearchResult['facets'] {
	return Object.fromEntries(facetNames.map((name) => [name, {}])) as SearchResult['facets'];
}

/** Maps the multi-search answer (main query first, then one per active facet) to a SearchResult. */
export function mapMultiSearch(
	request: SearchRequest,
	queries: MultiSearchQuery[],
	results: Pick<
		SearchResponse<StoredHit>,
		'hits' | 'facetDistribution' | 'totalHits' | 'estimatedTotalHits'
	>[],
	tookMs: number
): SearchResult {
	const [main, ...facetResults] = results;
	const facets = emptyFacets();
	for (const name of queries[0].facets ?? []) {
		facets[name as FacetName] = { ...(main.facetDistribution?.[name] ?? {}) };
	}
	facetResults.forEach((result, i) => {
		const name = queries[i + 1].facets?.[0] as FacetName;
		facets[name] = { ...(result.facetDistribution?.[name] ?? {}) };
	});
	const hits = main.hits as StoredHit[];
	return {
		hits: hits.map(toSearchHit),
		total: main.totalHits ?? main.estimatedTotalHits ?? hits.length,
		facets,
		corrected: correctedQuery(request.q, hits),
		tookMs
	};
}

function sameStrings(a: unknown, b: string[], ordered: boolean): boolean {
	if (!Array.isArray(a) || a.length !== b.length || a.some((v) => typeof v !== 'string'))
		return false;
	const left = ordered ? a : [...a].sort();
	const right = ordered ? b : [...b].sort();
	return left.every((value, i) => value === right[i]);
}

/** The part of `wanted` that differs from the index's current settings; empty when all match. */
export function settingsToApply(
	current: Settings,
	wanted: typeof indexSettings = indexSettings
): Settings {
	const changes: Settings = {};
	if (!sameStrings(current.searchableAttributes, wanted.searchableAttributes, true)) {
		changes.searchableAttributes = wanted.searchableAttributes;
	}
	if (!sameStrings(current.rankingRules, wanted.rankingRules, true)) {
		changes.rankingRules = wanted.rankingRules;
	}
	if (!sameStrings(current.filterableAttributes, wanted.filterableAttributes, false)) {
		changes.filterableAttributes = wanted.filterableAttributes;
	}
	if (!sameStrings(current.sortableAttributes, wanted.sortableAttributes, false)) {
		changes.sortableAttributes = wanted.sortableAttributes;
	}
	if (!sameStrings(current.stopWords, wanted.stopWords, false))
		changes.stopWords = wanted.stopWords;
	const typo = current.typoTolerance;
	if (
		typo?.enabled !== wanted.typoTolerance.enabled ||
		typo?.minWordSizeForTypos?.oneTypo !== wanted.typoTolerance.minWordSizeForTypos.oneTypo ||
		typo?.minWordSizeForTypos?.twoTypos !== wanted.typoTolerance.minWordSizeForTypos.twoTypos
	) {
		changes.typoTolerance = wanted.typoTolerance;
	}
	if (current.faceting?.maxValuesPerFacet !== wanted.faceting.maxValuesPerFacet) {
		changes.faceting = wanted.faceting;
	}
	if (current.pagination?.maxTotalHits !== wanted.pagination.maxTotalHits) {
		changes.pagination = wanted.pagination;
	}
	return changes;
}

function errorCode(error: unknown): string | undefined {
	return error instanceof MeilisearchApiError ? error.cause?.code : undefined;
}

export function meilisearchEngine(options: MeilisearchOptions): MeilisearchEngine {
	const apiKey = options.apiKey ?? undefined;
	const client = new Meilisearch({
		host: options.host,
		apiKey,
		timeout: options.timeoutMs ?? 10_000,
		// A batch of 1000 documents can take Meilisearch a while to index.
		defaultWaitOptions: { timeout: 120_000, interval: 50 }
	});
	// /health answers at once; a quick timeout keeps our own /health quick when Meilisearch hangs.
	const healthClient = new Meilisearch({ host: options.host, apiKey, timeout: 2_000 });
	const index = client.index<MeiliDocument>(options.index);

	/** Waits for the task; a failed task throws, except for the codes that mean "already so". */
	async function completed(task: EnqueuedTaskPromise, what: string, harmless: string[] = []) {
		const done = await task.waitTask();
		if (done.status === 'succeeded') return;
		if (done.error && harmless.includes(done.error.code)) return;
		throw new Error(
			`Meilisearch ${what} (task ${done.uid}) ${done.status}: ${done.error?.message ?? 'no reason given'}`
		);
	}

	return {
		name: 'meilisearch',

		async search(request) {
			const started = performance.now();
			const queries = buildMultiSearch(options.index, request);
			const response = await client.multiSearch<{ queries: MultiSearchQuery[] }, StoredHit>({
				queries
			});
			return mapMultiSearch(
				request,
				queries,
				response.results,
				Math.round(performance.now() - started)
			);
		},

		async health(): Promise<EngineHealth> {
			let status: EngineHealth['status'] = 'ok';
			try {
				await healthClient.health();
			} catch (error) {
				console.error('[search] Meilisearch health check failed:', (error as Error).message);
				status = 'error';
			}
			return { engine: 'meilisearch', status, ...(options.db ? outbox.outboxLag(options.db) : {}) };
		},

		async index(documents) {
			for (let start = 0; start < documents.length; start += INDEX_BATCH) {
				const batch = documents.slice(start, start + INDEX_BATCH).map(toMeiliDocument);
				await completed(index.addDocuments(batch, { primaryKey: 'id' }), 'document addition');
			}
		},

		async remove(refs) {
			if (refs.length === 0) return;
			await completed(index.deleteDocuments(refs.map(encodeRef)), 'document deletion', [
				'index_not_found'
			]);
		},

		async clear() {
			await completed(index.deleteAllDocuments(), 'clearing the index', ['index_not_found']);
		},

		async documentCount() {
			return (await index.getStats()).numberOfDocuments;
		},

		async applySettings() {
			let current: Settings;
			try {
				current = await index.getSettings();
			} catch (error) {
				if (errorCode(error) !== 'index_not_found') throw error;
				await completed(client.createIndex(options.index, { primaryKey: 'id' }), 'index creation', [
					'index_already_exists'
				]);
				current = await index.getSettings();
			}
			const changes = settingsToApply(current);
			if (Object.keys(changes).length > 0) {
				await completed(index.updateSettings(changes), 'settings update');
			}
		}
	};
}

/**
 * At server start with MEILISEARCH_HOST: applies the index settings in the background, retrying
 * with backoff while Meilisearch is unreachable, queues the whole mirror when the index is empty
 * but the mirror is not (a new or wiped Meilisearch, or a mirror rebuilt at start), and starts
 * the outbox worker. Never blocks or fails the start. Returns a function that stops both.
 */
export function startMeilisearchSync(
	db: Db,
	engine: MeilisearchEngine,
	options: { intervalMs?: number } = {}
): () => void {
	let stopped = false;
	let retry: ReturnType<typeof setTimeout> | undefined;
	const apply = async (attempt: number) => {
		try {
			await engine.applySettings();
			console.log('[search] Meilisearch index settings are up to date');
			if ((await engine.documentCount()) === 0) {
				const queued = outbox.queueAllDocuments(db);
				if (queued > 0) console.log(`[search] Meilisearch is empty: queued ${queued} documents`);
			}
		} catch (error) {
			if (stopped) return;
			const wait = outbox.retryDelayMs(attempt);
			console.error(
				`[search] applying the Meilisearch settings failed (attempt ${attempt}); retrying in ${Math.round(wait / 1000)} s:`,
				(error as Error).message
			);
			retry = setTimeout(() => void apply(attempt + 1), wait);
			retry.unref();
		}
	};
	void apply(1);
	const stopWorker = outbox.startSearchOutboxWorker(db, engine, options);
	return () => {
		stopped = true;
		clearTimeout(retry);
		stopWorker();
	};
}
