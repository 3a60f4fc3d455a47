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

export function loadFacetTable(client: Database.Database): FacetTable {
	const rows = client
		.prepare('SELECT id, type, visibility, facets, sort_date FROM search_document ORDER BY id')
		.raw()
		.all() as [number, string, string, string, number][];
	const maxId = rows.length ? rows[rows.length - 1][0] : 0;
	const values: FacetTable['values'] = [];
	const valueIds = new Map<string, number>();
	// Value ids by facet name, then value: no string is built per document value.
	const byName = new Map<string, Map<string, number>>(
		facetNames.map((name) => [name, new Map<string, number>()])
	);
	const idOf = (name: string, value: string): number | undefined => {
		const ids = byName.get(name);
		if (!ids) return undefined;
		let id = ids.get(value);
		if (id === undefined) {
			id = values.length;
			values.push({ facet: facetNames.indexOf(name as FacetName), name: name as FacetName, value });
			valueIds.set(valueKey(name, value), id);
			ids.set(value, id);
		}
		return id;
	};
	const offsets = new Uint32Array(maxId + 2);
	const restricted = new Uint8Array(maxId + 1);
	const sortDates = new Float64Array(maxId + 1);
	const documentIds = new Uint32Array(rows.length);
	let valueList = new Uint32Array(Math.max(1024, rows.length * 24));
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
		if (row >= rows.length || rows[row][0] !== id) continue;
		const [, type, visibility, facets, sortDate] = rows[row];
		documentIds[row] = id;
		sortDates[id] = sortDate;
		row += 1;
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
		documentIds,
		sortDates
	};
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
