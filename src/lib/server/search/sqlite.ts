/**
 * The embedded engine: SQLite FTS5 over the search mirror in the application's own database.
 * Every user value is a bound parameter; the MATCH expression is built only from quoted tokens
 * (query.ts), so nothing typed is FTS syntax.
 */
import type Database from 'better-sqlite3';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { sqliteSearchHealth } from '$lib/server/health';
import {
	countFacets,
	facetTableAt,
	newestPage,
	noteChangedDocuments,
	type Counts
} from './facet-table';
import { MAX_FILTER_VALUES, MAX_PER_PAGE, MAX_RESULT_DEPTH } from './limits';
import { deleteDocuments, putDocuments } from './sync';
import { formatQuery, ftsString, parseQuery, type ParsedQuery, type QueryClause } from './query';
import { snippet, termMatcher, type WordMatcher } from './snippet';
import { typoBudget, typoDistance, variantLengthRange } from './typo';
import {
	facetNames,
	type Audience,
	type FacetName,
	type RecordType,
	type SearchDocument,
	type SearchEngine,
	type SearchHit,
	type SearchRequest,
	type SearchResult
} from './types';

/** bm25 weights of search_fts's columns (title, summary, keywords, body). */
const COLUMN_WEIGHTS = [10, 5, 3, 1] as const;
/** Words at most this many words apart count as near each other (proximity ranking). */
const NEAR_DISTANCE = 2;
/** Typo variants tried per word: the closest, then the most frequent. */
const MAX_VARIANTS = 8;

type Statement = Database.Statement<unknown[], unknown>;

/** Prepared statements by SQL text, per connection: the shapes of queries repeat. */
const statements = new WeakMap<Database.Database, Map<string, Statement>>();

function prepare(client: Database.Database, source: string): Statement {
	let cache = statements.get(client);
	if (!cache) {
		cache = new Map();
		statements.set(client, cache);
	}
	let statement = cache.get(source);
	if (!statement) {
		statement = client.prepare(source);
		if (cache.size > 500) cache.clear();
		cache.set(source, statement);
	}
	return statement;
}

/**
 * The indexed terms with their document counts, for typo variants. Reloaded when the index
 * changed (its structure and averages records change with every write). A large index is
 * reloaded at most every RELOAD_INTERVAL_MS; words missing from a stale list are then checked
 * against the index itself, so a new word is never "corrected" away.
 */
interface Vocabulary {
	version: string;
	loadedAt: number;
	loadMs: number;
	counts: Map<string, number>;
	/** Terms by first character, each list sorted by document count, most frequent first. */
	byFirst: Map<string, string[]>;
}

const vocabularies = new WeakMap<Database.Database, Vocabulary>();
const RELOAD_INTERVAL_MS = 30_000;
const SLOW_LOAD_MS = 100;

export function indexVersion(client: Database.Database): string {
	const rows = prepare(
		client,
		'SELECT id, hex(block) AS block FROM search_fts_data WHERE id IN (1, 10) ORDER BY id'
	).all() as { id: number; block: string }[];
	return rows.map((row) => row.block).join(':');
}

function loadVocabulary(client: Database.Database, version: string): Vocabulary {
	const started = performance.now();
	const rows = prepare(client, 'SELECT term, doc FROM search_fts_vocab').all() as {
		term: string;
		doc: number;
	}[];
	rows.sort((a, b) => b.doc - a.doc);
	const counts = new Map<string, number>();
	const byFirst = new Map<string, string[]>();
	for (const { term, doc } of rows) {
		counts.set(term, doc);
		const first = String.fromCodePoint(term.codePointAt(0)!);
		const list = byFirst.get(first);
		if (list) list.push(term);
		else byFirst.set(first, [term]);
	}
	return {
		version,
		loadedAt: Date.now(),
		loadMs: performance.now() - started,
		counts,
		byFirst
	};
}

function vocabularyOf(
	client: Database.Database,
	version: string
): { vocabulary: Vocabulary; current: boolean } {
	const cached = vocabularies.get(client);
	if (cached && cached.version === version) return { vocabulary: cached, current: true };
	if (cached && cached.loadMs > SLOW_LOAD_MS && Date.now() - cached.loadedAt < RELOAD_INTERVAL_MS) {
		return { vocabulary: cached, current: false };
	}
	const vocabulary = loadVocabulary(client, version);
	vocabularies.set(client, vocabulary);
	return { vocabulary, current: true };
}

function termExists(client: Database.Database, term: string): boolean {
	return prepare(client, 'SELECT 1 FROM search_fts_vocab WHERE term = ?').get(term) !== undefined;
}

function prefixExists(client: Database.Database, prefix: string): boolean {
	return (
		prepare(client, 'SELECT 1 FROM search_fts_vocab WHERE term >= ? AND term < ? LIMIT 1').get(
			prefix,
			`${prefix}\u{10FFFF}`
		) !== undefined
	);
}

function hasPrefix(vocabulary: Vocabulary, prefix: string): boolean {
	const first = String.fromCodePoint(prefix.codePointAt(0)!);
	return (vocabulary.byFirst.get(first) ?? []).some((term) => term.startsWith(prefix));
}

/** The tolerated variants of a word in the index, closest first, then most frequent. */
function variantsOf(vocabulary: Vocabulary, word: string): string[] {
	if (typoBudget(word) === 0) return [];
	const first = String.fromCodePoint(word.codePointAt(0)!);
	const { min, max } = variantLengthRange(word);
	const found: { term: string; distance: number; rank: number }[] = [];
	const terms = vocabulary.byFirst.get(first) ?? [];
	for (let rank = 0; rank < terms.length; rank += 1) {
		const term = terms[rank];
		if (term.length < min || term.length > max || term === word) continue;
		const distance = typoDistance(word, term);
		if (distance !== null && distance > 0) found.push({ term, distance, rank });
	}
	found.sort((a, b) => a.distance - b.distance || a.rank - b.rank);
	return found.slice(0, MAX_VARIANTS).map((variant) => variant.term);
}

interface CompiledQuery {
	/** FTS5 expression every hit matches, or null when nothing is required (list everything). */
	match: string | null;
	/** The same without typo variants, when some were added: exact hits rank first. */
	exactMatch: string | null;
	/** Any required word, variant or phrase: which fields hold one decides the field bucket. */
	anyTerm: string | null;
	/** The exact words near each other (several words only): they rank first, as a phrase would. */
	nearMatch: string | null;
	/** FTS5 expression of excluded words and phrases, or null. */
	excluded: string | null;
	/** The query with corrected words, when a word was only found through a variant. */
	corrected: string | null;
	isMatch: WordMatcher;
}

function compileQuery(
	client: Database.Database,
	version: string,
	parsed: ParsedQuery
): CompiledQuery {
	const { vocabulary, current } = parsed.required.length
		? vocabularyOf(client, version)
		: { vocabulary: null, current: true };
	const required: string[] = [];
	const exact: string[] = [];
	const terms: string[] = [];
	const prefixes: string[] = [];
	const corrections = new Map<QueryClause, string>();
	const alternatives: string[] = [];
	let variantsUsed = false;
	for (const clause of parsed.required) {
		if (clause.kind === 'phrase') {
			const phrase = ftsString(clause.words);
			required.push(phrase);
			exact.push(phrase);
			alternatives.push(phrase);
			terms.push(...clause.words);
			continue;
		}
		const word = clause.words[0];
		const own = ftsString([word], clause.prefix);
		exact.push(own);
		terms.push(word);
		if (clause.prefix) prefixes.push(word);
		const variants = vocabulary ? variantsOf(vocabulary, word) : [];
		alternatives.push(own, ...variants.map((variant) => ftsString([variant])));
		if (variants.length === 0) {
			required.push(own);
			continue;
		}
		variantsUsed = true;
		terms.push(...variants);
		required.push(`(${[own, ...variants.map((variant) => ftsString([variant]))].join(' OR ')})`);
		const known =
			vocabulary!.counts.has(word) ||
			(clause.prefix && hasPrefix(vocabulary!, word)) ||
			(!current && (clause.prefix ? prefixExists(client, word) : termExists(client, word)));
		if (!known) corrections.set(clause, variants[0]);
	}
	const excluded = parsed.excluded.map((clause) => ftsString(clause.words));
	return {
		anyTerm: alternatives.length ? alternatives.join(' OR ') : null,
		nearMatch: exact.length > 1 ? `NEAR(${exact.join(' ')}, ${NEAR_DISTANCE})` : null,
		match: required.length ? required.join(' AND ') : null,
		exactMatch: variantsUsed ? exact.join(' AND ') : null,
		excluded: excluded.length ? excluded.join(' OR ') : null,
		corrected: corrections.size ? formatQuery(parsed, corrections) : null,
		isMatch: termMatcher(terms, prefixes)
	};
}

/** One SQL condition per active facet on a document id column, written as `{id}`. */
type FilterConditions = Map<FacetName, { sql: string; params: unknown[] }>;

/** Type is stored as a facet row too, so every filter is one lookup in search_facet's key. */
function filterConditions(filters: SearchRequest['filters']): FilterConditions {
	const conditions: FilterConditions = new Map();
	for (const name of facetNames) {
		const values = [...new Set((filters[name] ?? []).map(String))].slice(0, MAX_FILTER_VALUES);
		if (values.length === 0) continue;
		conditions.set(name, {
			sql: `EXISTS (SELECT 1 FROM search_facet f WHERE f.name = ? AND f.value IN (${values.map(() => '?').join(', ')}) AND f.document_id = {id})`,
			params: [name, ...values]
		});
	}
	return conditions;
}

const withId = (condition: string, id: string) => condition.replaceAll('{id}', id);

/** What the audience may not see, as a condition on a document id; null when nothing is hidden. */
function restrictedCondition(
	restrictedIds: string,
	audience: Audience
): { sql: string; params: unknown[] } | null {
	if (audience === 'verified' || restrictedIds === '[]') return null;
	return { sql: '{id} NOT IN (SELECT value FROM json_each(?))', params: [restrictedIds] };
}

interface HitRow {
	id: number;
	type: RecordType;
	recordId: string;
	title: string;
	summary: string;
	body: string;
	path: string;
	meta: string;
	sortDate: number;
}

/**
 * Totals and facet counts of recent searches by index version: paging through results or
 * typing on after a pause asks for the same counts again, each a read of every match and a pass
 * over them. Any write changes the version, so a count is never stale.
 */
const countCaches = new WeakMap<
	Database.Database,
	{ version: string; entries: Map<string, Counts> }
>();
const COUNT_CACHE_SIZE = 200;

function cachedCounts(
	client: Database.Database,
	version: string,
	key: string,
	compute: () => Counts
): Counts {
	let cache = countCaches.get(client);
	if (!cache || cache.version !== version) {
		cache = { version, entries: new Map() };
		countCaches.set(client, cache);
	}
	const hit = cache.entries.get(key);
	if (hit) {
		cache.entries.delete(key);
		cache.entries.set(key, hit);
		return hit;
	}
	const counts = compute();
	cache.entries.set(key, counts);
	if (cache.entries.size > COUNT_CACHE_SIZE) {
		cache.entries.delete(cache.entries.keys().next().value!);
	}
	return counts;
}

/** The ids the query matches, its exclusions applied; null when it asks for no word. */
function scopeIds(client: Database.Database, compiled: CompiledQuery): number[] | null {
	if (compiled.match) {
		const exclusion = compiled.excluded
			? ' AND rowid NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)'
			: '';
		return prepare(client, `SELECT rowid FROM search_fts WHERE search_fts MATCH ?${exclusion}`)
			.pluck()
			.all(compiled.match, ...(compiled.excluded ? [compiled.excluded] : [])) as number[];
	}
	if (compiled.excluded) {
		return prepare(
			client,
			'SELECT id FROM search_document WHERE id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) ORDER BY id'
		)
			.pluck()
			.all(compiled.excluded) as number[];
	}
	return null;
}

export function runSearch(db: Db, request: SearchRequest): SearchResult {
	const started = performance.now();
	const client = db.$client;
	const parsed = parseQuery(request.q ?? '');
	// Read once: every per-index cache below (word list, facet table, counts) keys on it.
	const version = indexVersion(client);
	const compiled = compileQuery(client, version, parsed);
	const conditions = filterConditions(request.filters ?? {});
	const facetTable = facetTableAt(client, version);
	const restricted = restrictedCondition(facetTable.restrictedIds, request.audience);

	// What every hit must satisfy besides the query and the facet filters.
	const scopeConditions: string[] = [];
	const scopeParams: unknown[] = [];
	if (compiled.excluded) {
		scopeConditions.push('{id} NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
		scopeParams.push(compiled.excluded);
	}
	if (restricted) {
		scopeConditions.push(restricted.sql);
		scopeParams.push(...restricted.params);
	}

	// The ids the query matches, read at most once: counting and the newest order both use them.
	let matchIds: number[] | null | undefined;
	const matches = () =>
		matchIds === undefined ? (matchIds = scopeIds(client, compiled)) : matchIds;
	const active = [...conditions.keys()];
	const flagParams = active.flatMap((name) => conditions.get(name)!.params);
	const filters = Object.fromEntries(
		active.map((name) => [name, conditions.get(name)!.params.slice(1) as string[]])
	);
	const counts = cachedCounts(
		client,
		version,
		JSON.stringify([compiled.match, compiled.excluded, request.audience, active, flagParams]),
		// The audience and the facet filters are applied while counting, in memory.
		() => countFacets(facetTable.table, matches(), filters, request.audience)
	);

	const perPage = Math.min(Math.max(1, Math.trunc(request.perPage) || 20), MAX_PER_PAGE);
	const page = Math.max(1, Math.trunc(request.page) || 1);
	const offset = (page - 1) * perPage;
	let hitRows: HitRow[] = [];
	// Pages past MAX_RESULT_DEPTH are empty: reading that deep is a crawler's job, and slow.
	if (counts.total > offset && offset <= MAX_RESULT_DEPTH) {
		const columns =
			'd.id AS id, d.type AS type, d.record_id AS recordId, d.title AS title, d.summary AS summary, d.body AS body, d.path AS path, d.meta AS meta, d.sort_date AS sortDate';
		const filterSqlFor = (id: string) => [
			...scopeConditions.map((condition) => withId(condition, id)),
			...active.map((name) => withId(conditions.get(name)!.sql, id))
		];
		const filterParams = [...scopeParams, ...flagParams];
		const byRelevance = request.sort !== 'newest' && compiled.match !== null;
		let ids: number[];
		if (byRelevance) {
			ids = rankedPage(
				client,
				compiled,
				filterSqlFor('search_fts.rowid'),
				filterParams,
				perPage,
				offset
			);
		} else if (compiled.match || compiled.excluded || active.length) {
			ids = newestPage(
				facetTable.table,
				matches() ?? facetTable.table.documentIds,
				filters,
				request.audience,
				offset,
				perPage
			);
		} else {
			// Everything the audience may see, newest first: the sort index, read up to the page.
			const where = restricted ? ` WHERE ${withId(restricted.sql, 'd.id')}` : '';
			ids = prepare(
				client,
				`SELECT d.id FROM search_document d${where} ORDER BY d.sort_date DESC, d.id DESC LIMIT ? OFFSET ?`
			)
				.pluck()
				.all(...(restricted ? restricted.params : []), perPage, offset) as number[];
		}
		if (ids.length) {
			const rows = prepare(
				client,
				`SELECT ${columns} FROM search_document d WHERE d.id IN (${ids.map(() => '?').join(', ')})`
			).all(...ids) as HitRow[];
			const byId = new Map(rows.map((row) => [row.id, row]));
			hitRows = ids.map((id) => byId.get(id)).filter((row): row is HitRow => row !== undefined);
		}
	}

	const hits: SearchHit[] = hitRows.map((row) => ({
		type: row.type,
		id: row.recordId,
		title: row.title,
		snippet: snippetOf(row, compiled.isMatch),
		path: row.path,
		meta: JSON.parse(row.meta) as Record<string, string | null>,
		sortDate: new Date(row.sortDate)
	}));
	return {
		hits,
		total: counts.total,
		facets: counts.facets,
		// A correction is shown only when it found something the asker may see.
		corrected: counts.total > 0 ? compiled.corrected : null,
		tookMs: Math.round((performance.now() - started) * 100) / 100
	};
}

const both = (a: string, b: string) => `(${a}) AND (${b})`;
const without = (a: string, b: string) => `(${a}) NOT (${b})`;

/**
 * The FTS5 expressions of the ranking buckets, best first, as Meilisearch ranks: exact words
 * before typo variants, words near each other before scattered ones, then the best field holding
 * a query word (title, summary, elsewhere). Within a bucket bm25 decides. Walking the buckets
 * keeps bm25 off the long tail: a common word's page comes from its few title matches.
 */
function rankingBuckets(compiled: CompiledQuery): string[] {
	let buckets = compiled.exactMatch
		? [compiled.exactMatch, without(compiled.match!, compiled.exactMatch)]
		: [compiled.match!];
	if (compiled.nearMatch) {
		const near = compiled.nearMatch;
		buckets = buckets.flatMap((bucket) => [both(bucket, near), without(bucket, near)]);
	}
	const inTitle = `{title} : (${compiled.anyTerm})`;
	const inSummary = `{summary} : (${compiled.anyTerm})`;
	return buckets.flatMap((bucket) => [
		both(bucket, inTitle),
		without(both(bucket, inSummary), inTitle),
		without(without(bucket, inTitle), inSummary)
	]);
}

/** The ids of one page of relevance-ranked results: buckets in order, bm25 within each. */
function rankedPage(
	client: Database.Database,
	compiled: CompiledQuery,
	filters: string[],
	filterParams: unknown[],
	perPage: number,
	offset: number
): number[] {
	const where = filters.length ? ` AND ${filters.join(' AND ')}` : '';
	const pageSql = `SELECT rowid FROM search_fts WHERE search_fts MATCH ?${where} ORDER BY bm25(search_fts, ${COLUMN_WEIGHTS.join(', ')}), rowid LIMIT ? OFFSET ?`;
	const countSql = `SELECT count(*) FROM search_fts WHERE search_fts MATCH ?${where}`;
	const ids: number[] = [];
	let skip = offset;
	for (const bucket of rankingBuckets(compiled)) {
		if (skip > 0) {
			const size = prepare(client, countSql)
				.pluck()
				.get(bucket, ...filterParams) as number;
			if (size <= skip) {
				skip -= size;
				continue;
			}
		}
		const rows = prepare(client, pageSql)
			.pluck()
			.all(bucket, ...filterParams, perPage - ids.length, skip) as number[];
		ids.push(...rows);
		skip = 0;
		if (ids.length >= perPage) break;
	}
	return ids;
}

/** The summary, unless only the body contains a matched word. */
function snippetOf(row: HitRow, isMatch: WordMatcher): string {
	const summary = snippet(row.summary, isMatch);
	if (summary.includes('<mark>') || !row.body) return summary;
	const body = snippet(row.body, isMatch);
	return body.includes('<mark>') ? body : summary;
}

export function sqliteEngine(db: Db): SearchEngine {
	return {
		name: 'sqlite',
		async search(request) {
			return runSearch(db, request);
		},
		async health() {
			return { engine: 'sqlite', status: sqliteSearchHealth(db) };
		},
		async index(documents: SearchDocument[]) {
			putDocuments(db, documents);
		},
		async remove(refs: string[]) {
			deleteDocuments(db, refs);
		},
		async clear() {
			db.transaction((tx) => {
				tx.delete(table.searchFacet).run();
				tx.delete(table.searchDocument).run();
			});
			noteChangedDocuments(db.$client, 'all');
		}
	};
}
