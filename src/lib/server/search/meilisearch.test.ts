import { describe, expect, it } from 'vitest';
import {
	buildFilter,
	buildMultiSearch,
	correctedQuery,
	decodeRef,
	encodeRef,
	indexSettings,
	mapMultiSearch,
	meilisearchQuery,
	quoteFilterValue,
	settingsToApply,
	snippetFor,
	toMeiliDocument,
	type StoredHit
} from './meilisearch';
import { parseQuery } from './query';
import { markEnd as POST, markStart as PRE } from './snippet';
import type { SearchDocument, SearchRequest } from './types';

function request(overrides: Partial<SearchRequest> = {}): SearchRequest {
	return {
		q: 'transport',
		filters: {},
		sort: 'relevance',
		page: 1,
		perPage: 20,
		audience: 'public',
		...overrides
	};
}

function storedHit(overrides: Partial<StoredHit> = {}): StoredHit {
	return {
		ref: 'case_study:abc',
		type: 'case_study',
		recordId: 'abc',
		title: 'Bus rapid transit in Lagos',
		summary: 'A bus line.',
		path: '/cases/brt-lagos',
		meta: { country: 'NG' },
		sortDate: Date.UTC(2024, 0, 2),
		...overrides
	};
}

describe('document ids', () => {
	it('maps refs to the Meilisearch id charset and back', () => {
		expect(encodeRef('case_study:k3x7qz2abcdefghijklmnopq')).toBe(
			'case_study-k3x7qz2abcdefghijklmnopq'
		);
		for (const ref of [
			'organisation:abc',
			'need:a_b',
			'offer:has-dash',
			'case_study:with:colon',
			'case_study:ünïcödé ✓',
			'case_study:'
		]) {
			const id = encodeRef(ref);
			expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
			expect(decodeRef(id)).toBe(ref);
		}
	});

	it('keeps a plain record id and an encoded one apart', () => {
		// "offer:has-dash" must not decode as the plain id "has-dash" nor collide with another ref.
		expect(encodeRef('offer:has-dash')).not.toBe('offer-has-dash');
		expect(new Set(['offer:a', 'offer:-a', 'offer:a-']).size).toBe(
			new Set(['offer:a', 'offer:-a', 'offer:a-'].map(encodeRef)).size
		);
	});

	it('refuses a string that is not a ref', () => {
		expect(() => encodeRef('no-colon')).toThrow(/Not a search ref/);
		expect(() => encodeRef(':abc')).toThrow(/Not a search ref/);
	});
});

describe('toMeiliDocument', () => {
	it('flattens facets to filterable arrays and the date to milliseconds', () => {
		const document: SearchDocument = {
			ref: 'case_study:abc',
			type: 'case_study',
			recordId: 'abc',
			title: 'T',
			summary: 'S',
			keywords: 'K',
			body: 'B',
			path: '/cases/t',
			language: 'en',
			visibility: 'public',
			facets: { theme: ['S', 'S', 'E'], year: ['2021', '2022'] },
			meta: { country: 'KE' },
			sortDate: new Date(Date.UTC(2023, 4, 1))
		};
		const stored = toMeiliDocument(document);
		expect(stored.id).toBe('case_study-abc');
		expect(stored.theme).toEqual(['S', 'E']);
		expect(stored.year).toEqual(['2021', '2022']);
		expect(stored.sdg).toEqual([]);
		expect(stored.sortDate).toBe(Date.UTC(2023, 4, 1));
		expect(stored).not.toHaveProperty('facets');
	});

	it('removes highlight markers from stored text, so only Meilisearch can mark a match', () => {
		const stored = toMeiliDocument({
			ref: 'organisation:x',
			type: 'organisation',
			recordId: 'x',
			title: `${PRE}fake${POST}`,
			summary: `a${PRE}b`,
			keywords: '',
			body: `c${POST}`,
			path: '/organisations/x',
			language: 'en',
			visibility: 'public',
			facets: {},
			meta: {},
			sortDate: new Date(0)
		});
		expect([stored.title, stored.summary, stored.body]).toEqual(['fake', 'ab', 'c']);
	});
});

describe('filters', () => {
	it('quotes values with quotes and backslashes escaped', () => {
		expect(quoteFilterValue('KE')).toBe('"KE"');
		expect(quoteFilterValue('a"b')).toBe('"a\\"b"');
		expect(quoteFilterValue('a\\"b')).toBe('"a\\\\\\"b"');
		expect(quoteFilterValue("x' OR type = 'y")).toBe('"x\' OR type = \'y"');
	});

	it('always limits to the audience, AND across facets and OR within one', () => {
		expect(buildFilter('public', {})).toEqual(['visibility = "public"']);
		expect(buildFilter('verified', {})).toEqual(['visibility IN ["public", "verified"]']);
		expect(buildFilter('public', { theme: ['S', 'E', 'S'], country: ['KE'], sdg: [] })).toEqual([
			'visibility = "public"',
			['theme = "S"', 'theme = "E"'],
			['country = "KE"']
		]);
	});

	it('leaves one facet out for its own counts, never the audience', () => {
		expect(buildFilter('public', { theme: ['S'], country: ['KE'] }, 'theme')).toEqual([
			'visibility = "public"',
			['country = "KE"']
		]);
	});

	it('ignores names that are not facets', () => {
		const filters = { status: ['draft'] } as unknown as SearchRequest['filters'];
		expect(buildFilter('public', filters)).toEqual(['visibility = "public"']);
	});

	it('keeps a hostile value inside its string literal', () => {
		const [, group] = buildFilter('public', { country: ['" OR visibility = "verified'] });
		expect(group).toEqual(['country = "\\" OR visibility = \\"verified"']);
	});
});

describe('buildMultiSearch', () => {
	it('asks for every facet in the main query when no filter is active', () => {
		const queries = buildMultiSearch('citybridge', request());
		expect(queries).toHaveLength(1);
		expect(queries[0]).toMatchObject({
			indexUid: 'citybridge',
			q: 'transport',
			page: 1,
			hitsPerPage: 20,
			matchingStrategy: 'all',
			highlightPreTag: PRE,
			highlightPostTag: POST
		});
		expect(queries[0].facets).toHaveLength(10);
		expect(queries[0].sort).toBeUndefined();
		expect(queries[0].attributesToRetrieve).not.toContain('body');
	});

	it('adds one facet-only query per active facet, without that facet’s own group', () => {
		const queries = buildMultiSearch(
			'citybridge',
			request({ filters: { theme: ['S'], country: ['KE', 'NG'] }, audience: 'verified' })
		);
		expect(queries).toHaveLength(3);
		expect(queries[0].facets).not.toContain('theme');
		expect(queries[0].facets).not.toContain('country');
		expect(queries[0].filter).toEqual([
			'visibility IN ["public", "verified"]',
			['theme = "S"'],
			['country = "KE"', 'country = "NG"']
		]);
		expect(queries[1]).toMatchObject({
			facets: ['theme'],
			limit: 0,
			filter: ['visibility IN ["public", "verified"]', ['country = "KE"', 'country = "NG"']]
		});
		expect(queries[2]).toMatchObject({
			facets: ['country'],
			limit: 0,
			filter: ['visibility IN ["public", "verified"]', ['theme = "S"']]
		});
	});

	it('sorts newest first on request and whenever there are no words', () => {
		expect(buildMultiSearch('i', request({ sort: 'newest' }))[0].sort).toEqual(['sortDate:desc']);
		expect(buildMultiSearch('i', request({ q: '   ' }))[0]).toMatchObject({
			q: '',
			sort: ['sortDate:desc']
		});
	});

	it('clamps pages and caps a huge query', () => {
		const [main] = buildMultiSearch('i', request({ page: -3, perPage: 0, q: 'x'.repeat(10_000) }));
		expect(main.page).toBe(1);
		expect(main.hitsPerPage).toBe(1);
		expect(main.q).toBe('x'.repeat(200));
		expect(buildMultiSearch('i', request({ page: 1e12 }))[0].page).toBe(10_000);
		expect(buildMultiSearch('i', request({ page: Number.NaN }))[0].page).toBe(1);
	});
});

describe('meilisearchQuery', () => {
	const query = (q: string) => meilisearchQuery(parseQuery(q));

	it('keeps words, phrases and exclusions, and the last word as a prefix only while typing', () => {
		expect(query('bus rapid')).toBe('bus rapid');
		expect(query('bus rapid ')).toBe('bus rapid ');
		expect(query('"bus rapid" -lagos')).toBe('"bus rapid" -lagos ');
		expect(query('-"informal settlements" water')).toBe('-"informal settlements" water');
		expect(query('Medellín')).toBe('Medellín');
	});

	it('drops stop words among other words and lets nothing through as syntax', () => {
		expect(query('the city of')).toBe('city ');
		expect(query('NEAR( ^bus* "unbalanced')).toBe('NEAR bus unbalanced');
		expect(query('"a, b" water')).toBe('"a b" water');
		expect(query('   ')).toBe('');
		expect(query('""')).toBe('');
	});
});

describe('snippets', () => {
	it('shows the summary, or the body’s crop when only the body matched', () => {
		const summaryMatch = storedHit({
			_formatted: { summary: `A ${PRE}bus${POST} line.`, body: `… the ${PRE}bus${POST} …` }
		});
		expect(snippetFor(summaryMatch)).toBe('A <mark>bus</mark> line.');
		const bodyMatch = storedHit({
			_formatted: { summary: 'A line.', body: `… the ${PRE}depot${POST} at night …` }
		});
		expect(snippetFor(bodyMatch)).toBe('… the <mark>depot</mark> at night …');
		expect(snippetFor(storedHit({ summary: 'Plain <summary>' }))).toBe('Plain &lt;summary&gt;');
	});
});

describe('correctedQuery', () => {
	const hitWith = (title: string) => storedHit({ _formatted: { title } });

	it('reports the word a typo was matched to', () => {
		expect(correctedQuery('transprot lagos', [hitWith(`${PRE}Transport${POST} in Lagos`)])).toBe(
			'transport lagos'
		);
	});

	it('is null when every word matched as typed, or by prefix', () => {
		expect(correctedQuery('transport', [hitWith(`${PRE}Transport${POST}`)])).toBeNull();
		expect(correctedQuery('transp', [hitWith(`${PRE}Transp${POST}ort`)])).toBeNull();
		expect(correctedQuery('Medellin', [hitWith(`${PRE}Medellín${POST}`)])).toBeNull();
		expect(correctedQuery('anything', [])).toBeNull();
	});

	it('never corrects short words, phrases, exclusions or the first letter', () => {
		const hits = [hitWith(`${PRE}water${POST} ${PRE}cities${POST} ${PRE}waste${POST}`)];
		expect(correctedQuery('watr', hits)).toBeNull();
		expect(correctedQuery('"citiess" -wastes', hits)).toBeNull();
		expect(correctedQuery('paste', hits)).toBeNull();
		expect(correctedQuery('"city" wastes', hits)).toBe('"city" waste');
	});
});

describe('mapMultiSearch', () => {
	it('takes hits and the unfiltered facets from the main query and each active facet from its own', () => {
		const req = request({ filters: { theme: ['S'] } });
		const queries = buildMultiSearch('i', req);
		const result = mapMultiSearch(
			req,
			queries,
			[
				{
					hits: [
						storedHit({
							_formatted: { summary: `A ${PRE}transport${POST} line & more` }
						})
					],
					totalHits: 41,
					facetDistribution: { country: { KE: 3 }, type: { case_study: 41 } }
				},
				{ hits: [], estimatedTotalHits: 60, facetDistribution: { theme: { S: 41, E: 19 } } }
			],
			7
		);
		expect(result.total).toBe(41);
		expect(result.tookMs).toBe(7);
		expect(result.corrected).toBeNull();
		expect(result.facets.theme).toEqual({ S: 41, E: 19 });
		expect(result.facets.country).toEqual({ KE: 3 });
		expect(result.facets.sdg).toEqual({});
		expect(Object.keys(result.facets)).toHaveLength(10);
		expect(result.hits).toEqual([
			{
				type: 'case_study',
				id: 'abc',
				title: 'Bus rapid transit in Lagos',
				snippet: 'A <mark>transport</mark> line &amp; more',
				path: '/cases/brt-lagos',
				meta: { country: 'NG' },
				sortDate: new Date(Date.UTC(2024, 0, 2))
			}
		]);
	});
});

describe('settingsToApply', () => {
	it('asks for every setting on a fresh index', () => {
		const fresh = {
			searchableAttributes: ['*'],
			filterableAttributes: [],
			sortableAttributes: [],
			rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
			stopWords: [],
			typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
			faceting: { maxValuesPerFacet: 100 },
			pagination: { maxTotalHits: 1000 }
		};
		expect(Object.keys(settingsToApply(fresh)).sort()).toEqual([
			'faceting',
			'filterableAttributes',
			'pagination',
			'rankingRules',
			'searchableAttributes',
			'sortableAttributes',
			'stopWords'
		]);
	});

	it('is empty when the index already has them, in whatever order sets come back', () => {
		const current = {
			...indexSettings,
			filterableAttributes: [...indexSettings.filterableAttributes].reverse(),
			stopWords: [...indexSettings.stopWords].sort()
		};
		expect(settingsToApply(current)).toEqual({});
	});

	it('keeps the searchable attributes’ order significant', () => {
		const current = {
			...indexSettings,
			searchableAttributes: ['summary', 'title', 'keywords', 'body']
		};
		expect(settingsToApply(current)).toEqual({
			searchableAttributes: ['title', 'summary', 'keywords', 'body']
		});
	});
});
