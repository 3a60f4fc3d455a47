import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import {
	facetTableAt,
	loadFacetTable,
	type FacetTable
} from '../../src/lib/server/search/facet-table';
import { indexVersion, sqliteEngine } from '../../src/lib/server/search/sqlite';
import type { SearchDocument, SearchRequest } from '../../src/lib/server/search/types';
import { corpus, countFacet, passesFilters, visibleTo } from '../support/search-corpus';
import { freshDb } from '../support/db';

const opened: Db[] = [];
afterEach(() => {
	for (const db of opened.splice(0)) db.$client.close();
});

function open(db: Db = freshDb()): Db {
	opened.push(db);
	return db;
}

const request = (partial: Partial<SearchRequest> = {}): SearchRequest => ({
	q: '',
	filters: {},
	sort: 'newest',
	page: 1,
	perPage: 100,
	audience: 'public',
	...partial
});

/** Each document's facet values, by document id: what a table says, whatever its layout. */
function contentOf(table: FacetTable) {
	return Array.from(table.documentIds, (id) => {
		const values = Array.from(table.valueList.slice(table.offsets[id], table.offsets[id + 1]))
			.map((value) => `${table.values[value].name}=${table.values[value].value}`)
			.sort();
		return { id, values, restricted: table.restricted[id], sortDate: table.sortDates[id] };
	});
}

const currentTable = (db: Db) => facetTableAt(db.$client, indexVersion(db.$client)).table;

describe('the in-memory facet table', () => {
	it('after writes through the same connection equals a fresh read, and counts follow', async () => {
		const db = open();
		const engine = sqliteEngine(db);
		await engine.index(corpus);
		await engine.search(request());

		const [first, second, third] = corpus.filter((d) => d.visibility === 'public');
		const retagged: SearchDocument = {
			...first,
			facets: { ...first.facets, theme: ['N'] },
			sortDate: new Date('2030-01-01')
		};
		const added: SearchDocument = {
			...third,
			ref: 'case_study:added-later',
			recordId: 'added-later'
		};
		const restricted: SearchDocument = { ...second, visibility: 'verified' };
		await engine.index([retagged, added, restricted]);
		await engine.remove([third.ref]);

		const documents = [
			...corpus.filter((d) => ![first.ref, second.ref, third.ref].includes(d.ref)),
			retagged,
			added,
			restricted
		];
		const result = await engine.search(request());
		expect(contentOf(currentTable(db))).toEqual(contentOf(loadFacetTable(db.$client)));
		const publicDocuments = documents.filter((d) => d.visibility === 'public');
		expect(result.total).toBe(publicDocuments.length);
		expect(result.facets.theme).toEqual(countFacet(publicDocuments, 'theme'));
		expect(result.hits[0].id).toBe(first.recordId);
		const themeN = await engine.search(request({ filters: { theme: ['N'] } }));
		expect(themeN.total).toBe(
			publicDocuments.filter((d) => passesFilters(d, { theme: ['N'] })).length
		);
	});

	it('sees what another connection wrote, through a full read', async () => {
		const db = open();
		const engine = sqliteEngine(db);
		await engine.index(corpus);
		expect((await engine.search(request())).total).toBe(visibleTo('public').length);

		const other = open(openDatabase(db.$client.name));
		const gone = visibleTo('public')[0];
		await sqliteEngine(other).remove([gone.ref]);

		const after = await engine.search(request());
		expect(after.total).toBe(visibleTo('public').length - 1);
		expect(after.hits.map((hit) => hit.id)).not.toContain(gone.recordId);
		expect(contentOf(currentTable(db))).toEqual(contentOf(loadFacetTable(db.$client)));
	});

	it('starts over after the index is cleared', async () => {
		const db = open();
		const engine = sqliteEngine(db);
		await engine.index(corpus);
		await engine.search(request());
		await engine.clear();
		const empty = await engine.search(request());
		expect(empty.total).toBe(0);
		expect(empty.facets.type).toEqual({});
		await engine.index(corpus.slice(0, 3));
		expect(contentOf(currentTable(db))).toEqual(contentOf(loadFacetTable(db.$client)));
	});
});
