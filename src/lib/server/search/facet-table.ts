/**
 * Every search document's facet values as typed arrays in memory, so a search counts its total
 * and each facet's values with one loop over its matches. Joining the matches with search_facet
 * in SQL took most of a second for a common word at 100,000 documents (BENCHMARKS.md).
 */
import type Database from 'better-sqlite3';
import { facetNames, type Audience, type FacetName, type SearchResult } from './types';

export interface FacetTable {
	/** Facet and value of each value id. */
	values: { facet: number; name: FacetName; value: string }[];
	/** Value id by `${name}\u0000${value}`. */
	valueIds: Map<string, number>;
	/** The value ids of document d are valueList[offsets[d] … offsets[d + 1]). */
	offsets: Uint32Array;
	valueList: Uint32Array;
	/** 1 for documents only verified organisations may see. */
	restricted: Uint8Array;
	/** Every document id, ascending. */
	documentIds: Uint32Array;
	/** Sort date (ms) by document id: the "newest" order of a query's matches. */
	sortDates: Float64Array;
}

const valueKey = (name: string, value: string) => `${name}\u0000${value}`;

type DocumentRow = [id: number, type: string, visibility: string, facets: string, sortDate: number];

const documentColumns = 'id, type, visibility, facets, sort_date';

/**
 * Builds a table from document rows (ascending ids). With a previous table, the rows are those
 * of the changed ids only (a changed id without a row was deleted); every other document's
 * values are copied from the previous table.
 */
function buildFacetTable(
	rows: DocumentRow[],
	previous?: { table: FacetTable; changed: Set<number> }
): FacetTable {
	const values: FacetTable['values'] = previous ? previous.table.values.slice() : [];
	const valueIds = new Map(previous?.table.valueIds);
	const idOf = (name: string, value: string): number | undefined => {
		const key = valueKey(name, value);
		let id = valueIds.get(key);
		if (id === undefined) {
			const facet = facetNames.indexOf(name as FacetName);
			if (facet < 0) return undefined;
			id = values.length;
			values.push({ facet, name: name as FacetName, value });
			valueIds.set(key, id);
		}
		return id;
	};
	const old = previous?.table;
	const oldMaxId = old ? old.offsets.length - 2 : -1;
	const maxId = Math.max(oldMaxId, rows.length ? rows[rows.length - 1][0] : 0);
	const offsets = new Uint32Array(maxId + 2);
	const restricted = new Uint8Array(maxId + 1);
	const sortDates = new Float64Array(maxId + 1);
	const documentIds: number[] = [];
	let valueList = new Uint32Array(Math.max(1024, (old?.valueList.length ?? rows.length * 24) + 64));
	let length = 0;
	const push = (valueId: number) => {
		if (length === valueList.length) {
			const grown = new Uint32Array(valueList.length * 2);
			grown.set(valueList);
			valueList = grown;
		}
		valueList[length++] = valueId;
	};
	let row = 0;
	for (let id = 0; id <= maxId; id += 1) {
		offsets[id] = length;
		if (old && id <= oldMaxId && !previous.changed.has(id)) {
			const start = old.offsets[id];
			const end = old.offsets[id + 1];
			if (start === end) continue;
			for (let k = start; k < end; k += 1) push(old.valueList[k]);
			restricted[id] = old.restricted[id];
			sortDates[id] = old.sortDates[id];
			documentIds.push(id);
			continue;
		}
		if (row >= rows.length || rows[row][0] !== id) continue;
		const [, type, visibility, facets, sortDate] = rows[row];
		row += 1;
		documentIds.push(id);
		sortDates[id] = sortDate;
		if (visibility !== 'public') restricted[id] = 1;
		push(idOf('type', type)!);
		const parsed = JSON.parse(facets) as Record<string, string[]>;
		for (const name in parsed) {
			for (const value of parsed[name]) {
				const valueId = idOf(name, String(value));
				if (valueId !== undefined) push(valueId);
			}
		}
	}
	offsets[maxId + 1] = length;
	return {
		values,
		valueIds,
		offsets,
		valueList: valueList.slice(0, length),
		restricted,
		documentIds: Uint32Array.from(documentIds),
		sortDates
	};
}

export function loadFacetTable(client: Database.Database): FacetTable {
	const rows = client
		.prepare(`SELECT ${documentColumns} FROM search_document ORDER BY id`)
		.raw()
		.all() as DocumentRow[];
	return buildFacetTable(rows);
}

/**
 * Documents written through a connection since its facet table was read (sync.ts reports
 * them), or 'all' after a clear or too many changes. Undefined until a table is read.
 */
const changedSinceRead = new WeakMap<Database.Database, Set<number> | 'all'>();
const MAX_PATCHED = 5_000;

export function noteChangedDocuments(
	client: Database.Database,
	ids: readonly number[] | 'all'
): void {
	const changed = changedSinceRead.get(client);
	if (changed === undefined || changed === 'all') return;
	if (ids === 'all' || changed.size + ids.length > MAX_PATCHED) {
		changedSinceRead.set(client, 'all');
		return;
	}
	for (const id of ids) changed.add(id);
}

interface ReadTable {
	/** The FTS index version it was read at (sqlite.ts). */
	version: string;
	/** PRAGMA data_version when read: it changes when another connection commits. */
	dataVersion: number;
	table: FacetTable;
	/** JSON array of the restricted document ids, for SQL conditions. */
	restrictedIds: string;
}

const readTables = new WeakMap<Database.Database, ReadTable>();

/**
 * The facet table for the index `version`. After writes through this connection alone (no
 * other connection committed since), only the changed documents are read again: at 100,000
 * documents a full read takes about half a second, a patch a few milliseconds.
 */
export function facetTableAt(client: Database.Database, version: string): ReadTable {
	const current = readTables.get(client);
	if (current && current.version === version) return current;
	// Read before the rows: a commit by another connection in between forces a full read next time.
	const dataVersion = client.pragma('data_version', { simple: true }) as number;
	const changed = changedSinceRead.get(client);
	let table: FacetTable;
	if (current && current.dataVersion === dataVersion && changed instanceof Set) {
		const rows = client
			.prepare(
				`SELECT ${documentColumns} FROM search_document WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`
			)
			.raw()
			.all(JSON.stringify([...changed])) as DocumentRow[];
		table = buildFacetTable(rows, { table: current.table, changed });
	} else {
		table = loadFacetTable(client);
	}
	changedSinceRead.set(client, new Set());
	const restrictedIds = JSON.stringify(
		Array.from(table.documentIds).filter((id) => table.restricted[id] === 1)
	);
	const read = { version, dataVersion, table, restrictedIds };
	readTables.set(client, read);
	return read;
}

export interface Counts {
	total: number;
	facets: SearchResult['facets'];
}

export function emptyFacets(): SearchResult['facets'] {
	return Object.fromEntries(facetNames.map((name) => [name, {}])) as SearchResult['facets'];
}

/**
 * The total under every filter, and each facet's counts under every filter but its own (so a
 * second value of a chosen facet can still be added). `scope` is the documents the query
 * matches, or null for all of them; documents the audience may not see are never counted.
 */
/** Each active facet gets a bit; a document passes a facet when one of its values is chosen. */
function chosenValues(table: FacetTable, filters: Partial<Record<FacetName, string[]>>) {
	const activeBit = new Int32Array(facetNames.length).fill(-1);
	const chosen = new Int32Array(table.values.length).fill(-1);
	let active = 0;
	for (const [facet, name] of facetNames.entries()) {
		const values = filters[name] ?? [];
		if (values.length === 0) continue;
		activeBit[facet] = active;
		// A value no document has sets no bit: nothing passes that facet, as it should.
		for (const value of values) {
			const id = table.valueIds.get(valueKey(name, String(value)));
			if (id !== undefined) chosen[id] = active;
		}
		active += 1;
	}
	return { activeBit, chosen, all: active === 0 ? 0 : (1 << active) - 1 };
}

/** The facets a document passes, as bits; -1 when the audience may not see it or it is gone. */
function passedBits(
	table: FacetTable,
	chosen: Int32Array,
	id: number,
	hideRestricted: boolean
): number {
	if (id >= table.restricted.length || (hideRestricted && table.restricted[id] === 1)) return -1;
	const start = table.offsets[id];
	const end = table.offsets[id + 1];
	if (start === end) return -1;
	let passed = 0;
	for (let k = start; k < end; k += 1) {
		const bit = chosen[table.valueList[k]];
		if (bit >= 0) passed |= 1 << bit;
	}
	return passed;
}

/**
 * The total under every filter, and each facet's counts under every filter but its own (so a
 * second value of a chosen facet can still be added). `scope` is the documents the query
 * matches, or null for all of them; documents the audience may not see are never counted.
 */
export function countFacets(
	table: FacetTable,
	scope: ArrayLike<number> | null,
	filters: Partial<Record<FacetName, string[]>>,
	audience: Audience
): Counts {
	const { activeBit, chosen, all } = chosenValues(table, filters);
	const counts = new Uint32Array(table.values.length);
	const { offsets, valueList, values } = table;
	const ids = scope ?? table.documentIds;
	const hideRestricted = audience === 'public';
	let total = 0;
	for (let index = 0; index < ids.length; index += 1) {
		const id = ids[index];
		const passed = passedBits(table, chosen, id, hideRestricted);
		if (passed < 0) continue;
		if (passed === all) total += 1;
		for (let k = offsets[id]; k < offsets[id + 1]; k += 1) {
			const value = valueList[k];
			const bit = activeBit[values[value].facet];
			const needed = bit >= 0 ? all & ~(1 << bit) : all;
			if ((passed & needed) === needed) counts[value] += 1;
		}
	}
	const facets = emptyFacets();
	for (let value = 0; value < counts.length; value += 1) {
		if (counts[value] > 0) facets[values[value].name][values[value].value] = counts[value];
	}
	return { total, facets };
}

/**
 * One page of the matches that pass every filter, newest first (ties by id, newest first).
 * Sorting in memory avoids reading the sort date of every match from its long row.
 */
export function newestPage(
	table: FacetTable,
	scope: ArrayLike<number>,
	filters: Partial<Record<FacetName, string[]>>,
	audience: Audience,
	offset: number,
	limit: number
): number[] {
	const { chosen, all } = chosenValues(table, filters);
	const hideRestricted = audience === 'public';
	const passing: number[] = [];
	for (let index = 0; index < scope.length; index += 1) {
		if (passedBits(table, chosen, scope[index], hideRestricted) === all) passing.push(scope[index]);
	}
	const dates = table.sortDates;
	passing.sort((a, b) => dates[b] - dates[a] || b - a);
	return passing.slice(offset, offset + limit);
}
