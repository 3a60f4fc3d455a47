import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { meilisearchEngine } from '../../src/lib/server/search/meilisearch';
import { sqliteEngine } from '../../src/lib/server/search/sqlite';
import {
	facetNames,
	type Audience,
	type SearchEngine,
	type SearchRequest,
	type SearchResult
} from '../../src/lib/server/search/types';
import { freshDb } from '../support/db';
import {
	corpus,
	corpusByRef,
	countFacet,
	passesFilters,
	refOf,
	visibleTo,
	wordsOf
} from '../support/search-corpus';

/*
 * One conformance suite for every search engine: the same fixed corpus (tests/support/
 * search-corpus.ts), the same requests, the same expected answers. SQLite FTS5 always runs;
 * Meilisearch runs when MEILISEARCH_HOST is set.
 */

interface EngineHandle {
	engine: SearchEngine;
	dispose(): Promise<void>;
}

/** An empty engine of its own; the suite loads the corpus through `index()`. */
type MakeEngine = () => Promise<EngineHandle>;

type Filters = SearchRequest['filters'];

function request(partial: Partial<SearchRequest>): SearchRequest {
	return {
		q: '',
		filters: {},
		sort: 'relevance',
		page: 1,
		perPage: 100,
		audience: 'public',
		...partial
	};
}

function refsOf(result: SearchResult): string[] {
	return result.hits.map((hit) => `${hit.type}:${hit.id}`);
}

/** A facet's counts without zero entries, so engines that list empty values compare equal. */
function nonZero(counts: Record<string, number> | undefined): Record<string, number> {
	return Object.fromEntries(Object.entries(counts ?? {}).filter(([, n]) => n > 0));
}

/** What one hit's snippet says once the highlighting is taken out. */
function unmarked(snippet: string): string {
	return snippet.replaceAll('<mark>', '').replaceAll('</mark>', '');
}

/** A message that shows what came back, so a failure explains itself. */
function came(result: SearchResult): string {
	return `came back: ${JSON.stringify(refsOf(result))} (total ${result.total})`;
}

function conformance(name: string, makeEngine: MakeEngine) {
	describe(`${name} search engine conformance`, () => {
		describe('on the fixed corpus', () => {
			let handle: EngineHandle;
			const search = (partial: Partial<SearchRequest>) => handle.engine.search(request(partial));
			/** Refs found for a query (public audience, first 100). */
			const found = async (q: string, partial: Partial<SearchRequest> = {}) =>
				refsOf(await search({ q, ...partial }));

			beforeAll(async () => {
				handle = await makeEngine();
				await handle.engine.index(corpus);
			}, 120_000);
			afterAll(async () => {
				await handle?.dispose();
			});

			it('reports itself healthy', async () => {
				expect(await handle.engine.health()).toMatchObject({ engine: name, status: 'ok' });
			});

			it('answers with the document’s own type, id, title, path, meta and date, took_ms and every facet', async () => {
				const result = await search({ q: 'aqueduct' });
				expect(refsOf(result), came(result)).toEqual([refOf('hill-aqueduct')]);
				const document = corpusByRef.get(refOf('hill-aqueduct'))!;
				const [hit] = result.hits;
				expect(hit).toMatchObject({
					type: document.type,
					id: document.recordId,
					title: document.title,
					path: document.path,
					meta: document.meta
				});
				expect(hit.sortDate).toBeInstanceOf(Date);
				expect(hit.sortDate.getTime()).toBe(document.sortDate.getTime());
				expect(result.total).toBe(1);
				expect(result.tookMs).toBeGreaterThanOrEqual(0);
				expect(Object.keys(result.facets).sort()).toEqual([...facetNames].sort());
				expect(result.corrected).toBeNull();
			});

			describe('ranking', () => {
				it('ranks a word in a title above the same word in a summary, above it in a body', async () => {
					expect(await found('quarry')).toEqual([
						refOf('quarry-park'),
						refOf('masonry-yard'),
						refOf('heritage-walls')
					]);
				});

				it('ranks a title match in a long document above a summary match in a short one', async () => {
					expect(await found('sundial')).toEqual([
						refOf('sundial-garden'),
						refOf('clockmakers-guild')
					]);
				});

				it('ranks an exact word above a typo match, even one in a title', async () => {
					expect(await found('pavilion')).toEqual([
						refOf('riverside-market'),
						refOf('pavillon-sciences')
					]);
				});

				it('does not let a term found in most documents drown the one the searcher means', async () => {
					const lagoon = await search({ q: 'city lagoon' });
					expect(refsOf(lagoon)[0], came(lagoon)).toBe(refOf('lagoon-cleanup'));
					const aqueduct = await search({ q: 'the aqueduct' });
					expect(refsOf(aqueduct)[0], came(aqueduct)).toBe(refOf('hill-aqueduct'));
				});

				it('still finds every document with the very common term when it is the whole query', async () => {
					const expected = visibleTo('public').filter((d) =>
						[...wordsOf(d)].some((word) => word.startsWith('city'))
					);
					// The corpus makes "city" common on purpose: more than half the documents.
					expect(expected.length).toBeGreaterThan(visibleTo('public').length / 2);
					const result = await search({ q: 'city' });
					expect(result.total).toBe(expected.length);
					expect(refsOf(result).sort()).toEqual(expected.map((d) => d.ref).sort());
				});

				it('finds a word that is only in the keywords', async () => {
					expect(await found('Kasarani')).toEqual([refOf('mobility-hubs')]);
				});
			});

			describe('typos', () => {
				it('finds a word of 5 to 8 letters misspelt once', async () => {
					expect(await found('aquaduct')).toEqual([refOf('hill-aqueduct')]);
					expect(await found('monsuon')).toEqual([refOf('monsoon-drains')]);
				});

				it('finds a word of 9 letters or more misspelt twice', async () => {
					expect(await found('photovaltaik')).toEqual([refOf('school-roofs')]);
				});

				it('does not accept two typos in a word under 9 letters', async () => {
					expect(await found('aquaduxt')).toEqual([]);
				});

				it('does not accept a typo in a word under 5 letters', async () => {
					expect(await found('yurt')).toEqual([refOf('yurt-heating')]);
					expect(await found('yurk')).toEqual([]);
				});

				it('never accepts a typo on the first letter', async () => {
					expect(await found('monsoon')).toEqual([refOf('monsoon-drains')]);
					expect(await found('bonsoon')).toEqual([]);
				});

				it('says which spelling it searched only when it changed a word', async () => {
					const corrected = await search({ q: 'aquaduct' });
					if (corrected.corrected !== null) expect(corrected.corrected).toMatch(/aqueduct/i);
					expect((await search({ q: 'aqueduct' })).corrected).toBeNull();
				});
			});

			describe('prefixes', () => {
				it('completes the last word of the query', async () => {
					expect(await found('mobi')).toContain(refOf('mobility-hubs'));
					expect(await found('urban mobi')).toEqual([refOf('mobility-hubs')]);
					expect(await found('Kasar')).toEqual([refOf('mobility-hubs')]);
				});

				it('does not complete a word in the middle of the query', async () => {
					expect(await found('mobility corridor')).toEqual([refOf('mobility-hubs')]);
					expect(await found('mobi corridor')).toEqual([]);
				});

				it('completes a prefix typed without its accents', async () => {
					// Six letters: "Medel" would also reach "model" with the one typo five letters allow.
					expect(await found('Medell')).toEqual([refOf('medellin-cable')]);
				});
			});

			describe('diacritics', () => {
				it.each(['Medellin', 'medellín', 'MEDELLÍN'])('finds Medellín written as %s', async (q) => {
					expect(await found(q)).toEqual([refOf('medellin-cable')]);
				});

				it('finds São Paulo written Sao Paulo, and Bogota written Bogotá', async () => {
					expect(await found('Sao Paulo')).toEqual([refOf('sao-paulo-lanes')]);
					expect(await found('Bogotá')).toEqual([refOf('bogota-transport-observatory')]);
				});

				it('finds French text typed with or without its accents', async () => {
					for (const q of ['déchets', 'dechets menagers', 'Gestion des déchets', 'ecole']) {
						expect(await found(q), q).toEqual([refOf('abidjan-dechets')]);
					}
				});
			});

			describe('phrases and exclusions', () => {
				it('matches a quoted phrase only where its words stand together, in order', async () => {
					const phrase = await found('"rapid transit"');
					expect(phrase).toContain(refOf('ring-road-brt'));
					expect(phrase).not.toContain(refOf('contactless-fares'));
					expect(await found('"transit rapid"')).not.toContain(refOf('ring-road-brt'));
				});

				it('matches the same words unquoted anywhere in a document, adjacent ones first', async () => {
					const words = await found('rapid transit');
					expect(words.slice(0, 2)).toEqual([refOf('ring-road-brt'), refOf('contactless-fares')]);
				});

				it('leaves out documents with a word after a minus', async () => {
					const all = await found('cable');
					expect(all).toContain(refOf('cable-feeder'));
					const result = await search({ q: 'cable -metro' });
					const refs = refsOf(result);
					expect(refs, came(result)).toContain(refOf('campus-cable'));
					expect(refs).toContain(refOf('medellin-cable'));
					expect(refs).not.toContain(refOf('cable-feeder'));
					expect(result.total).toBe(all.length - 1);
				});

				it('combines a phrase and an exclusion', async () => {
					expect(await found('"cable car" -metro')).toEqual([refOf('campus-cable')]);
				});
			});

			describe('snippets', () => {
				it('highlights the matched word with <mark> and escapes the document’s own markup', async () => {
					const result = await search({ q: 'xylophone' });
					expect(refsOf(result)).toEqual([refOf('music-halls')]);
					const { snippet } = result.hits[0];
					expect(snippet).toMatch(/<mark>xylophone<\/mark>/i);
					expect(unmarked(snippet)).not.toMatch(/[<>]/);
					expect(snippet).toContain('&lt;script&gt;');
					expect(snippet).not.toContain('<mark>fake</mark>');
				});

				it('highlights the word as written in the document, accents and all', async () => {
					const result = await search({ q: 'medellin' });
					expect(result.hits[0].snippet).toMatch(/<mark>Medellín<\/mark>/);
				});

				it('highlights the word a typo matched', async () => {
					const result = await search({ q: 'aquaduct' });
					expect(result.hits[0].snippet).toMatch(/<mark>aqueduct<\/mark>/i);
				});
			});

			describe('facets', () => {
				const publicDocs = visibleTo('public');

				/** Every facet's expected counts: all filters apply except the facet's own. */
				function expectedFacets(documents: typeof corpus, filters: Filters) {
					return Object.fromEntries(
						facetNames.map((facet) => [
							facet,
							countFacet(
								documents.filter((d) => passesFilters(d, filters, facet)),
								facet
							)
						])
					);
				}

				function actualFacets(result: SearchResult) {
					return Object.fromEntries(
						facetNames.map((facet) => [facet, nonZero(result.facets[facet])])
					);
				}

				it('counts every facet over everything visible when nothing is chosen', async () => {
					const result = await search({});
					expect(result.total).toBe(publicDocs.length);
					expect(actualFacets(result)).toEqual(expectedFacets(publicDocs, {}));
					expect(result.facets.type).toMatchObject({ need: 1, offer: 1, organisation: 6 });
				});

				it.each<[string, Filters]>([
					['one value', { theme: ['S'] }],
					['two values of one facet (OR)', { theme: ['S', 'E'] }],
					['two facets (AND)', { theme: ['S'], region: ['002'] }],
					[
						'three facets, one with two values',
						{ theme: ['S', 'O'], region: ['142'], domain: ['safety', 'water_sanitation'] }
					],
					['a year inside a multi-year range', { year: ['2020'] }],
					['the record type', { type: ['organisation'] }],
					[
						'the record type and a country',
						{ type: ['case_study', 'organisation'], country: ['KE'] }
					],
					['a technology and an income group', { technology: ['iot'], income: ['LM', 'H'] }],
					['a cooperation type', { cooperation: ['capacity_building'] }],
					['an SDG target', { sdg: ['11.2'] }]
				])(
					'filters by %s, each facet counting under the other facets’ filters',
					async (_label, filters) => {
						const expected = publicDocs.filter((d) => passesFilters(d, filters));
						const result = await search({ filters });
						expect(refsOf(result).sort()).toEqual(expected.map((d) => d.ref).sort());
						expect(result.total).toBe(expected.length);
						expect(actualFacets(result)).toEqual(expectedFacets(publicDocs, filters));
					}
				);

				it('counts facets over the documents the query matches', async () => {
					const filters: Filters = { theme: ['S'], country: ['KE', 'CO', 'BO'] };
					const matching = publicDocs.filter((d) =>
						[...wordsOf(d)].some((word) => word.startsWith('cable'))
					);
					const result = await search({ q: 'cable', filters });
					expect(refsOf(result).sort()).toEqual(
						matching
							.filter((d) => passesFilters(d, filters))
							.map((d) => d.ref)
							.sort()
					);
					expect(actualFacets(result)).toEqual(expectedFacets(matching, filters));
				});

				it('keeps its own counts for a value nothing has, and finds nothing', async () => {
					const result = await search({ filters: { country: ['ZZ'], theme: ['S'] } });
					expect(result.hits).toEqual([]);
					expect(result.total).toBe(0);
					expect(nonZero(result.facets.theme)).toEqual({});
					// The country facet ignores its own filter: its counts are those under theme S.
					expect(nonZero(result.facets.country)).toEqual(
						countFacet(
							publicDocs.filter((d) => passesFilters(d, { theme: ['S'] })),
							'country'
						)
					);
				});
			});

			describe('sort and pagination', () => {
				const newestFirst = (audience: Audience) =>
					visibleTo(audience)
						.slice()
						.sort((a, b) => b.sortDate.getTime() - a.sortDate.getTime())
						.map((d) => d.ref);

				it('lists every visible document for an empty query, whatever the sort', async () => {
					const byRelevance = await search({ q: '', sort: 'relevance' });
					expect(refsOf(byRelevance).sort()).toEqual(newestFirst('public').sort());
					const blank = await search({ q: '   ' });
					expect(blank.total).toBe(visibleTo('public').length);
				});

				it('sorts by newest first', async () => {
					expect(await found('', { sort: 'newest' })).toEqual(newestFirst('public'));
					const matching = await search({ q: 'city', sort: 'newest' });
					const dates = matching.hits.map((hit) => hit.sortDate.getTime());
					expect(dates).toEqual(dates.slice().sort((a, b) => b - a));
					expect(refsOf(matching).sort()).toEqual(refsOf(await search({ q: 'city' })).sort());
				});

				it('sorts a filtered query newest first, hiding what the audience may not see', async () => {
					for (const audience of ['public', 'verified'] as const) {
						const filters = { theme: ['S'] };
						const expected = visibleTo(audience)
							.filter((d) => passesFilters(d, filters))
							.sort((a, b) => b.sortDate.getTime() - a.sortDate.getTime())
							.map((d) => d.ref);
						const listed = await search({ filters, sort: 'newest', audience, perPage: 100 });
						expect(refsOf(listed)).toEqual(expected);
						const matching = await search({ q: 'city', filters, sort: 'newest', audience });
						const ranked = await search({ q: 'city', filters, audience, perPage: 100 });
						expect(refsOf(matching)).toEqual(
							expected.filter((ref) => refsOf(ranked).includes(ref))
						);
					}
				});

				it('pages through every result exactly once, with the total on each page', async () => {
					const perPage = 7;
					const all = newestFirst('public');
					const pages: string[] = [];
					for (let page = 1; page <= Math.ceil(all.length / perPage); page += 1) {
						const result = await search({ sort: 'newest', page, perPage });
						expect(result.total).toBe(all.length);
						expect(result.hits.length).toBeLessThanOrEqual(perPage);
						pages.push(...refsOf(result));
					}
					expect(pages).toEqual(all);
					const beyond = await search({ sort: 'newest', page: 99, perPage });
					expect(beyond.hits).toEqual([]);
					expect(beyond.total).toBe(all.length);
				});

				it('pages a relevance-ranked query the same way', async () => {
					const all = await found('city');
					const first = await search({ q: 'city', perPage: 5, page: 1 });
					const second = await search({ q: 'city', perPage: 5, page: 2 });
					expect([...refsOf(first), ...refsOf(second)]).toEqual(all.slice(0, 10));
					expect(second.total).toBe(all.length);
				});
			});

			describe('visibility', () => {
				const restricted = corpus.filter((d) => d.visibility === 'verified');

				it('never shows the public a document restricted to verified organisations', async () => {
					for (const q of ['desalination', 'seaweed', 'confidential', 'desal', 'desalinaton']) {
						const result = await search({ q });
						expect(result.hits, q).toEqual([]);
						expect(result.total, q).toBe(0);
						for (const facet of facetNames) expect(nonZero(result.facets[facet]), q).toEqual({});
					}
				});

				it('leaves restricted documents out of public totals, counts and pages', async () => {
					const aqueduct = await search({ q: 'aqueduct' });
					expect(aqueduct.total).toBe(1);
					const quarry = await search({ q: 'quarry' });
					expect(quarry.total).toBe(3);
					const everything = await search({ perPage: 100 });
					const refs = refsOf(everything);
					for (const document of restricted) expect(refs).not.toContain(document.ref);
					// Yemen has only a restricted need, so the public never sees the country.
					expect(everything.facets.country?.YE ?? 0).toBe(0);
					expect(nonZero(everything.facets.type)).toEqual(countFacet(visibleTo('public'), 'type'));
				});

				it('shows verified organisations everything', async () => {
					expect(await found('desalination', { audience: 'verified' })).toEqual([
						refOf('need-desalination')
					]);
					const aqueduct = await found('aqueduct', { audience: 'verified' });
					expect(aqueduct.sort()).toEqual(
						[refOf('hill-aqueduct'), refOf('need-desalination')].sort()
					);
					const everything = await search({ audience: 'verified' });
					expect(everything.total).toBe(corpus.length);
					expect(nonZero(everything.facets.type)).toEqual(countFacet(corpus, 'type'));
					expect(everything.facets.country?.YE).toBe(1);
				});
			});

			describe('bad input', () => {
				const syntax = [
					'"',
					'""',
					'"aqueduct',
					'aqueduct"',
					'"aqueduct water',
					'*',
					'aque*',
					'NEAR(',
					'NEAR(aqueduct',
					'NEAR(aqueduct water, 2)',
					'aqueduct NEAR/2 water',
					'^',
					'^aqueduct',
					':',
					'aqueduct:',
					'title:aqueduct',
					'{title summary}: aqueduct',
					'(',
					')',
					'(aqueduct',
					'aqueduct)',
					'AND',
					'OR',
					'NOT',
					'aqueduct OR',
					'aqueduct AND NOT water',
					'-',
					'--',
					'- -',
					'-"',
					'-aqueduct',
					'+aqueduct',
					'\\',
					"'",
					"aqueduct's",
					'%_%',
					'\u0000aqueduct',
					'🚰 aqueduct',
					'مياه',
					'水道',
					'a'.repeat(10_000),
					'aqueduct '.repeat(1_200),
					Array.from({ length: 10_000 }, (_, i) => '"*^:()-NEAR '[i % 12]).join('')
				];

				it.each(
					syntax.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length} characters)` : q, q])
				)('answers %j without an error', async (_label, q) => {
					for (const sort of ['relevance', 'newest'] as const) {
						const result = await search({ q, sort, perPage: 20 });
						expect(Array.isArray(result.hits)).toBe(true);
						expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
						for (const hit of result.hits) expect(unmarked(hit.snippet)).not.toMatch(/[<>]/);
					}
				});

				it.each([
					'"aqueduct',
					'aqueduct"',
					'(aqueduct',
					'aqueduct)',
					'^aqueduct',
					'aqueduct:',
					'aqueduct*'
				])('reads the word in %j as a word', async (q) => {
					expect(await found(q)).toContain(refOf('hill-aqueduct'));
				});
			});
		});

		describe('keeping the index right', () => {
			let handle: EngineHandle;
			const search = (partial: Partial<SearchRequest>) => handle.engine.search(request(partial));

			beforeAll(async () => {
				handle = await makeEngine();
			}, 120_000);
			afterAll(async () => {
				await handle?.dispose();
			});

			/** Each test starts from the whole corpus. */
			async function reload() {
				await handle.engine.clear();
				expect((await search({})).total).toBe(0);
				await handle.engine.index(corpus);
			}

			it('replaces a document indexed again: the old title is no longer found, the new one is', async () => {
				await reload();
				const before = await search({});
				const original = corpusByRef.get(refOf('hill-aqueduct'))!;
				await handle.engine.index([
					{
						...original,
						title: 'Cistern repair brings water back to the hills',
						summary:
							'Engineers restored the cistern that stores spring water for the hill settlements.',
						facets: { ...original.facets, country: ['LK'] }
					}
				]);
				expect((await search({ q: 'aqueduct' })).hits).toEqual([]);
				const cistern = await search({ q: 'cistern' });
				expect(refsOf(cistern)).toEqual([original.ref]);
				expect(cistern.hits[0].title).toBe('Cistern repair brings water back to the hills');
				const after = await search({});
				expect(after.total).toBe(before.total);
				expect(after.facets.country.NP ?? 0).toBe((before.facets.country.NP ?? 0) - 1);
				expect(after.facets.country.LK).toBe(1);
			});

			it('keeps one copy of a document indexed twice', async () => {
				await reload();
				await handle.engine.index(corpus.slice(0, 5));
				expect((await search({ audience: 'verified' })).total).toBe(corpus.length);
			});

			it('hides a document from the public once it is indexed as restricted', async () => {
				await reload();
				const original = corpusByRef.get(refOf('music-halls'))!;
				await handle.engine.index([{ ...original, visibility: 'verified' }]);
				expect(refsOf(await search({ q: 'xylophone' }))).toEqual([]);
				expect(refsOf(await search({ q: 'xylophone', audience: 'verified' }))).toEqual([
					original.ref
				]);
				expect((await search({})).total).toBe(visibleTo('public').length - 1);
			});

			it('forgets a removed document: gone from hits, totals and counts', async () => {
				await reload();
				const before = await search({});
				await handle.engine.remove([refOf('hill-aqueduct'), 'case_study:never-indexed']);
				expect((await search({ q: 'aqueduct' })).hits).toEqual([]);
				expect((await search({ q: 'aquaduct' })).hits).toEqual([]);
				const after = await search({});
				expect(after.total).toBe(before.total - 1);
				expect(after.facets.country.NP ?? 0).toBe(before.facets.country.NP - 1);
				expect(after.facets.sdg['11.1']).toBe(before.facets.sdg['11.1'] - 1);
			});

			it('removes nothing for an empty or unknown list, and clears everything on clear()', async () => {
				await reload();
				await handle.engine.remove([]);
				await handle.engine.remove(['organisation:unknown']);
				expect((await search({ audience: 'verified' })).total).toBe(corpus.length);
				await handle.engine.clear();
				const empty = await search({ audience: 'verified' });
				expect(empty.total).toBe(0);
				for (const facet of facetNames) expect(nonZero(empty.facets[facet])).toEqual({});
				await handle.engine.index(corpus);
				expect((await search({ audience: 'verified' })).total).toBe(corpus.length);
			});
		});
	});
}

conformance('sqlite', async () => {
	const db = freshDb();
	return {
		engine: sqliteEngine(db),
		dispose: async () => {
			db.$client.close();
		}
	};
});

const meilisearchHost = process.env.MEILISEARCH_HOST;
if (meilisearchHost) {
	conformance('meilisearch', async () => {
		const apiKey = process.env.MEILISEARCH_API_KEY;
		const index = `citybridge-conformance-${randomId()}`;
		const engine = meilisearchEngine({ host: meilisearchHost, apiKey, index });
		await engine.applySettings();
		return {
			engine,
			dispose: async () => {
				await new Meilisearch({ host: meilisearchHost, apiKey }).deleteIndexIfExists(index);
			}
		};
	});
} else {
	console.warn(
		'Meilisearch conformance skipped: set MEILISEARCH_HOST (and MEILISEARCH_API_KEY) to run it.'
	);
	describe.skip('Meilisearch conformance (set MEILISEARCH_HOST to run)', () => {
		it('runs the same suite against Meilisearch', () => {});
	});
}
