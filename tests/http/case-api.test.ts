import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as caseStudies from '$lib/server/case-studies';
import * as validations from '$lib/server/case-studies/validations';
import { openDatabase } from '$lib/server/db';
import {
	nairobiCityId,
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

const apiFields = [
	'slug',
	'title',
	'summary',
	'city',
	'country',
	'themes',
	'sdgTargets',
	'domains',
	'technologies',
	'status',
	'period',
	'results',
	'validations',
	'url',
	'updatedAt'
];

/** The naughty strings the feed and the CSV must carry safely (control characters included). */
const naughtyTitle = `Tom & Jerry <script>alert(1)</script> ]]> "quoted" 'single' ${Date.now()}`;
const naughtySummary =
	'A summary with \u0001control\u0008 characters, <b>markup</b>, & ampersands, ]]> and 😀 emoji.';

type ApiCase = {
	slug: string;
	title: string;
	city: { id: number; name: string } | null;
	country: { code: string; name: string };
	themes: string[];
	sdgTargets: string[];
	period: { start: number; end: number | null };
	results: { indicator: string; baseline: string; result: string; unit: string }[];
	validations: { reviewed: number; replicated: number; total: number };
	url: string;
	updatedAt: string;
};
type ApiList = { data: ApiCase[]; next: string | null; total: number };
type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: { field: string; message: string }[];
};

const client = new HttpClient(baseUrl);
const getJson = async <T>(path: string) => {
	const response = await client.get(path, { accept: 'application/json' });
	return { response, body: (await response.json()) as T };
};

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i += 1) {
		const c = text[i];
		if (quoted && c === '"' && text[i + 1] === '"') {
			cell += '"';
			i += 1;
		} else if (c === '"') {
			quoted = !quoted;
		} else if (!quoted && c === ',') {
			row.push(cell);
			cell = '';
		} else if (!quoted && c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i += 1;
		} else {
			cell += c;
		}
	}
	return rows;
}

/** Whether the text holds a character XML 1.0 forbids even escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF). */
const hasInvalidXmlCharacter = (text: string) =>
	[...text].some((character) => {
		const code = character.codePointAt(0)!;
		return (
			(code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
			code === 0xfffe ||
			code === 0xffff
		);
	});

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	parseTagValue: false,
	trimValues: false,
	isArray: (name) => ['entry', 'category', 'link', 'author'].includes(name)
});
type AtomEntry = {
	id: string;
	title: { '#text': string };
	updated: string;
	published: string;
	author: { name: string }[];
	summary: { '#text': string };
	link: { '@_href': string; '@_rel': string }[];
	category: { '@_term': string; '@_scheme': string }[];
};
type AtomDocument = {
	feed: {
		id: string;
		updated: string;
		title: { '#text': string };
		link: { '@_rel': string; '@_href': string; '@_type': string }[];
		entry?: AtomEntry[];
	};
};

async function feed(query: string) {
	const response = await client.get(`/feeds/case-studies.atom${query}`);
	const xml = await response.text();
	return { response, xml };
}

let owner: SignedIn;
let organisation: { id: string; slug: string; name: string };
const slugs = {} as Record<
	'energy' | 'formula' | 'naughty' | 'draft' | 'submitted' | 'archived',
	string
>;

beforeAll(async () => {
	owner = await signedIn(baseUrl, dbPath, 'api-owner');
	organisation = await newOrganisation(owner, dbPath, { verified: true });
	const seed = (
		state: 'draft' | 'submitted' | 'published',
		input: Partial<caseStudies.CaseStudyInput>
	) => seedCase(dbPath, { organisationId: organisation.id, authorId: owner.userId, state, input });
	const energy = seed('published', {
		title: `Solar lights for markets ${Date.now()}`,
		themes: ['E'],
		sdgTargets: ['11.6'],
		startYear: 2019,
		endYear: 2021
	});
	slugs.energy = energy.slug;
	slugs.formula = seed('published', {
		title: `=HYPERLINK("http://evil.example") open data ${Date.now()}`,
		themes: ['O'],
		sdgTargets: ['11.3'],
		domains: ['governance'],
		technologies: ['open_data_platform'],
		startYear: 2023
	}).slug;
	slugs.naughty = seed('published', {
		title: naughtyTitle,
		summary: naughtySummary,
		themes: ['S'],
		sdgTargets: ['11.5']
	}).slug;
	slugs.draft = seed('draft', { title: `A draft nobody sees ${Date.now()}` }).slug;
	slugs.submitted = seed('submitted', { title: `A case in review ${Date.now()}` }).slug;
	const archived = seed('published', { title: `An archived case ${Date.now()}` });
	slugs.archived = archived.slug;

	// A second verified organisation reviews the energy case, so counts come from real rows.
	const reviewer = await signedIn(baseUrl, dbPath, 'api-reviewer');
	const reviewerOrganisation = await newOrganisation(reviewer, dbPath, { verified: true });
	const admin = await signedInAdmin(baseUrl, dbPath);
	const db = openDatabase(dbPath);
	try {
		validations.recordValidation(
			db,
			{ id: reviewer.userId, siteRole: 'member' },
			energy.id,
			caseStudies.validationInput.parse({
				organisationId: reviewerOrganisation.id,
				kind: 'reviewed',
				note: 'We reviewed the lighting plan with our engineers.'
			})
		);
		caseStudies.archive(db, { id: admin.userId, siteRole: 'admin' }, archived.id);
	} finally {
		db.$client.close();
	}
});

const published = () => [slugs.energy, slugs.formula, slugs.naughty];
const hidden = () => [slugs.draft, slugs.submitted, slugs.archived];

/**
 * The published cases as seeded above (caseInput's defaults filled in), and the filter rules of
 * API.md applied to them in plain code: a repeated name is any of its values, names combine with
 * AND. The expected answers come from here, not from the server's SQL.
 */
type SeededFacets = {
	slug: string;
	theme: string[];
	sdg: string[];
	domain: string[];
	technology: string[];
	country: string[];
	status: string[];
	start: number;
	end: number | null;
};
/** caseInput's defaults: an implemented project of the (Nairobi) organisation's country. */
const inKenyaImplemented = { country: ['KE'], status: ['implemented'] };
const seededFacets = (): SeededFacets[] => [
	{
		slug: slugs.energy,
		theme: ['E'],
		sdg: ['11.6'],
		domain: ['energy'],
		technology: [],
		...inKenyaImplemented,
		start: 2019,
		end: 2021
	},
	{
		slug: slugs.formula,
		theme: ['O'],
		sdg: ['11.3'],
		domain: ['governance'],
		technology: ['open_data_platform'],
		...inKenyaImplemented,
		start: 2023,
		end: null
	},
	{
		slug: slugs.naughty,
		theme: ['S'],
		sdg: ['11.5'],
		domain: ['energy'],
		technology: [],
		...inKenyaImplemented,
		start: 2021,
		end: null
	}
];
function expectedSlugs(query: string): string[] {
	const params = new URLSearchParams(query);
	return seededFacets()
		.filter((item) =>
			(['theme', 'sdg', 'domain', 'technology', 'country', 'status'] as const).every((name) => {
				const wanted = params
					.getAll(name)
					.map((value) => (name === 'country' ? value.toUpperCase() : value));
				return wanted.length === 0 || wanted.some((value) => item[name].includes(value));
			})
		)
		.filter((item) => {
			const years = params.getAll('year').map(Number);
			return (
				years.length === 0 ||
				years.some((year) => item.start <= year && (item.end === null || item.end >= year))
			);
		})
		.map((item) => item.slug)
		.sort();
}

describe('GET /api/v1/case-studies', () => {
	it('lists the published cases of an organisation with the fields of API.md', async () => {
		const { response, body } = await getJson<ApiList>(
			`/api/v1/case-studies?organisation=${organisation.slug}`
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(body.total).toBe(3);
		expect(body.next).toBeNull();
		expect(body.data.map((item) => item.slug).sort()).toEqual(published().sort());
		for (const item of body.data) {
			for (const field of apiFields) expect(item).toHaveProperty(field);
			expect(item.url).toBe(`${baseUrl}/cases/${item.slug}`);
			expect(item.country).toEqual({ code: 'KE', name: 'Kenya' });
			expect(item.city).toEqual({ id: Number(nairobiCityId), name: 'Nairobi' });
			expect(new Date(item.updatedAt).toISOString()).toBe(item.updatedAt);
		}
		const energy = body.data.find((item) => item.slug === slugs.energy)!;
		expect(energy).toMatchObject({
			themes: ['E'],
			sdgTargets: ['11.6'],
			domains: ['energy'],
			status: 'implemented',
			period: { start: 2019, end: 2021 },
			validations: { reviewed: 1, replicated: 0, total: 1 }
		});
		expect(energy.results).toEqual([
			{
				indicator: 'Lit market lanes',
				sdgIndicator: null,
				baseline: '0',
				result: '42',
				unit: 'lanes',
				year: null,
				source: null
			}
		]);
	});

	it('never shows drafts, cases in review or archived cases, not even to their owner', async () => {
		const ownerList = (await (
			await owner.client.get(`/api/v1/case-studies?organisation=${organisation.slug}&limit=100`, {
				accept: 'application/json'
			})
		).json()) as ApiList;
		for (const slug of hidden()) {
			expect(ownerList.data.map((item) => item.slug)).not.toContain(slug);
			for (const asker of [client, owner.client]) {
				const response = await asker.get(`/api/v1/case-studies/${slug}`, {
					accept: 'application/json'
				});
				expect(response.status).toBe(404);
				expect(response.headers.get('content-type')).toContain('application/problem+json');
			}
		}
		const csv = await (
			await client.get(`/api/v1/case-studies?organisation=${organisation.slug}&format=csv`)
		).text();
		const atom = (await feed(`?organisation=${organisation.slug}`)).xml;
		for (const slug of hidden()) {
			expect(csv).not.toContain(slug);
			expect(atom).not.toContain(slug);
		}
	});

	it('answers one published case by slug in the same shape', async () => {
		const { response, body } = await getJson<ApiCase & { licence: string }>(
			`/api/v1/case-studies/${slugs.energy}`
		);
		expect(response.status).toBe(200);
		for (const field of apiFields) expect(body).toHaveProperty(field);
		const listed = (
			await getJson<ApiList>(`/api/v1/case-studies?organisation=${organisation.slug}&theme=E`)
		).body.data[0];
		expect(body).toMatchObject(listed);
		expect(body.licence).toBe('CC-BY-4.0');
	});

	it('answers an unknown slug with a 404 problem document', async () => {
		const { response, body } = await getJson<Problem>('/api/v1/case-studies/no-such-case-here');
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toContain('application/problem+json');
		expect(body).toMatchObject({ status: 404, title: 'Not found' });
		expect(body.detail).toContain('no-such-case-here');
	});

	it('narrows the list with the /cases filters, combined with AND', async () => {
		const slugsFor = async (query: string) => {
			const { response, body } = await getJson<ApiList>(
				`/api/v1/case-studies?organisation=${organisation.slug}&${query}`
			);
			expect(response.status).toBe(200);
			expect(body.total).toBe(body.data.length);
			return body.data.map((item) => item.slug).sort();
		};
		expect(await slugsFor('theme=E')).toEqual([slugs.energy]);
		expect(await slugsFor('sdg=11.3')).toEqual([slugs.formula]);
		expect(await slugsFor('domain=governance')).toEqual([slugs.formula]);
		expect(await slugsFor('technology=open_data_platform')).toEqual([slugs.formula]);
		expect(await slugsFor('theme=E&sdg=11.3')).toEqual([]);
		expect(await slugsFor('country=ke&region=002&income=LM')).toEqual(published().sort());
		expect(await slugsFor('country=FR')).toEqual([]);
		expect(await slugsFor('status=implemented')).toEqual(published().sort());
		expect(await slugsFor('status=pilot')).toEqual([]);
		// Running in 2020: the energy case (2019–2021) only; the others started later.
		expect(await slugsFor('year=2020')).toEqual([slugs.energy]);
		expect(await slugsFor('sort=validated')).toEqual(published().sort());
		const validated = await getJson<ApiList>(
			`/api/v1/case-studies?organisation=${organisation.slug}&sort=validated`
		);
		expect(validated.body.data[0].slug).toBe(slugs.energy);
	});

	it('takes a repeated filter as any of its values, and still combines names with AND', async () => {
		const queries = [
			'theme=E&theme=O',
			'theme=E&theme=E',
			'sdg=11.3&sdg=11.5',
			'domain=energy&domain=governance',
			'technology=open_data_platform&technology=iot',
			'year=2019&year=2020',
			'year=2020&year=2023',
			'country=KE&country=fr',
			'status=pilot&status=implemented',
			'status=pilot&status=scaled',
			'theme=E&theme=O&sdg=11.3&sdg=11.5',
			'theme=O&theme=S&year=2022',
			'theme=O&theme=S&year=2022&year=2024',
			'theme=E&theme=S&domain=governance',
			'sdg=11.6&sdg=11.3&technology=open_data_platform&country=KE&country=BR'
		];
		for (const query of queries) {
			const { response, body } = await getJson<ApiList>(
				`/api/v1/case-studies?organisation=${organisation.slug}&${query}`
			);
			expect(response.status, query).toBe(200);
			const expected = expectedSlugs(query);
			expect(body.data.map((item) => item.slug).sort(), query).toEqual(expected);
			expect(body.total, query).toBe(expected.length);
			expect(response.headers.get('x-total-count'), query).toBe(String(expected.length));
		}
		// Spot checks that the plain-code model above says what the seeded data means.
		expect(expectedSlugs('theme=E&theme=O')).toEqual([slugs.energy, slugs.formula].sort());
		expect(expectedSlugs('theme=O&theme=S&year=2022')).toEqual([slugs.naughty]);
		expect(expectedSlugs('theme=E&theme=S&domain=governance')).toEqual([]);
	});

	it('keeps every value of a repeated filter in the next link, so pages stay consistent', async () => {
		const query = `organisation=${organisation.slug}&theme=E&theme=O&sort=validated&limit=1`;
		const first = await getJson<ApiList>(`/api/v1/case-studies?${query}`);
		expect(first.response.status).toBe(200);
		expect(first.body.total).toBe(2);
		// Most validated first: the reviewed energy case.
		expect(first.body.data.map((item) => item.slug)).toEqual([slugs.energy]);
		const link = first.response.headers.get('link')!;
		const next = link.slice(1, link.indexOf('>'));
		expect(new URL(next, baseUrl).searchParams.getAll('theme')).toEqual(['E', 'O']);
		const second = await getJson<ApiList>(next);
		expect(second.body.total).toBe(2);
		expect(second.body.data.map((item) => item.slug)).toEqual([slugs.formula]);
		expect(second.body.next).toBeNull();
	});

	it('pages with a cursor and a next link, without gaps or repeats', async () => {
		const seen: string[] = [];
		let path: string | null = `/api/v1/case-studies?organisation=${organisation.slug}&limit=1`;
		let pages = 0;
		while (path) {
			const response = await client.get(path, { accept: 'application/json' });
			expect(response.status).toBe(200);
			const body = (await response.json()) as ApiList;
			expect(body.data).toHaveLength(1);
			expect(body.total).toBe(3);
			seen.push(body.data[0].slug);
			pages += 1;
			const link = response.headers.get('link');
			if (body.next) {
				expect(link).toMatch(/^<\/api\/v1\/case-studies\?.*cursor=.*>; rel="next"$/);
				path = link!.slice(1, link!.indexOf('>'));
				expect(new URL(path, baseUrl).searchParams.get('cursor')).toBe(body.next);
			} else {
				expect(link).toBeNull();
				path = null;
			}
		}
		expect(pages).toBe(3);
		expect(seen.sort()).toEqual(published().sort());
	});

	it('takes a limit from 1 to 100 and refuses anything else with a problem', async () => {
		for (const limit of ['1', '100']) {
			const { response } = await getJson<ApiList>(`/api/v1/case-studies?limit=${limit}`);
			expect(response.status).toBe(200);
		}
		for (const limit of ['0', '101', '-1', 'abc', '1.5', '', '1000000']) {
			const { response, body } = await getJson<Problem>(`/api/v1/case-studies?limit=${limit}`);
			expect(response.status, `limit=${limit}`).toBe(400);
			expect(body.errors).toContainEqual({ field: 'limit', message: expect.any(String) });
		}
	});

	it('refuses unknown parameters, bad values (one of a repeated filter too), too many values, a repeated single parameter and broken cursors with problem+json', async () => {
		const cases: [string, string][] = [
			['themes=E', 'themes'],
			['theme=Z', 'theme'],
			['sdg=11.9', 'sdg'],
			['region=999', 'region'],
			['country=Kenya', 'country'],
			['income=rich', 'income'],
			['domain=space', 'domain'],
			['technology=quantum', 'technology'],
			['status=finished', 'status'],
			['year=abc', 'year'],
			['year=1200', 'year'],
			['sort=oldest', 'sort'],
			['format=xml', 'format'],
			['cursor=not-a-cursor', 'cursor'],
			['theme=E&theme=Z', 'theme'],
			['sdg=11.1&sdg=11.9', 'sdg'],
			['country=KE&country=Kenya', 'country'],
			['year=2020&year=abc', 'year'],
			['status=pilot&status=finished', 'status'],
			[Array.from({ length: 21 }, (_, n) => `year=${2000 + n}`).join('&'), 'year'],
			['sort=newest&sort=validated', 'sort'],
			['organisation=a&organisation=b', 'organisation'],
			['limit=5&limit=6', 'limit'],
			[`organisation=${'x'.repeat(101)}`, 'organisation']
		];
		for (const [query, field] of cases) {
			const { response, body } = await getJson<Problem>(`/api/v1/case-studies?${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toContain('application/problem+json');
			expect(body).toMatchObject({ type: 'about:blank', title: 'Bad request', status: 400 });
			expect(
				body.errors?.map((error) => error.field),
				query
			).toContain(field);
			expect(body.errors?.every((error) => error.message.length > 5)).toBe(true);
		}
	});
});

describe('CSV', () => {
	it('has one row per case, the same rows as JSON, for ?format=csv and Accept: text/csv', async () => {
		const json = (await getJson<ApiList>(`/api/v1/case-studies?organisation=${organisation.slug}`))
			.body;
		const byFormat = await client.get(
			`/api/v1/case-studies?organisation=${organisation.slug}&format=csv`
		);
		const byAccept = await client.get(`/api/v1/case-studies?organisation=${organisation.slug}`, {
			accept: 'text/csv'
		});
		expect(byFormat.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const text = await byFormat.text();
		expect(await byAccept.text()).toBe(text);
		const [header, ...rows] = parseCsv(text);
		expect(header.slice(0, 3)).toEqual(['slug', 'title', 'summary']);
		expect(header).toEqual(expect.arrayContaining(['themes', 'sdgTargets', 'url', 'updatedAt']));
		expect(rows.map((row) => row[0])).toEqual(json.data.map((item) => item.slug));
		const column = (name: string) => header.indexOf(name);
		for (const row of rows) {
			const item = json.data.find((candidate) => candidate.slug === row[0])!;
			expect(row).toHaveLength(header.length);
			expect(row[column('url')]).toBe(item.url);
			expect(row[column('themes')]).toBe(item.themes.join(';'));
			expect(row[column('sdgTargets')]).toBe(item.sdgTargets.join(';'));
			expect(row[column('validationsTotal')]).toBe(String(item.validations.total));
		}
	});

	it('neutralises a title that a spreadsheet would run as a formula', async () => {
		const text = await (
			await client.get(`/api/v1/case-studies?organisation=${organisation.slug}&format=csv`)
		).text();
		const formulaRow = parseCsv(text).find((row) => row[0] === slugs.formula)!;
		expect(formulaRow[1].startsWith("'=HYPERLINK(")).toBe(true);
		const naughtyRow = parseCsv(text).find((row) => row[0] === slugs.naughty)!;
		expect(naughtyRow[1]).toBe(naughtyTitle);
	});
});

describe('GET /feeds/case-studies.atom', () => {
	it('is a well-formed Atom 1.0 feed of the published cases, newest first', async () => {
		const query = `?organisation=${organisation.slug}`;
		const { response, xml } = await feed(query);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
		expect(XMLValidator.validate(xml)).toBe(true);
		const { feed: atom } = xmlParser.parse(xml) as AtomDocument;
		expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
		expect(atom.id).toBe(`${baseUrl}/feeds/case-studies.atom${query}`);
		expect(atom.title['#text']).toBe('CityBridge case studies');
		expect(new Date(atom.updated).toISOString()).toBe(atom.updated);
		const links = Object.fromEntries(atom.link.map((link) => [link['@_rel'], link]));
		expect(links.self['@_href']).toBe(`${baseUrl}/feeds/case-studies.atom${query}`);
		expect(links.self['@_type']).toBe('application/atom+xml');
		expect(links.alternate['@_href']).toBe(`${baseUrl}/cases${query}`);

		const entries = atom.entry ?? [];
		expect(entries.map((entry) => entry.link[0]['@_href']).sort()).toEqual(
			published()
				.map((slug) => `${baseUrl}/cases/${slug}`)
				.sort()
		);
		const publishedDates = entries.map((entry) => entry.published);
		expect([...publishedDates].sort().reverse()).toEqual(publishedDates);
		const ids = new Set(entries.map((entry) => entry.id));
		expect(ids.size).toBe(entries.length);
		const energy = entries.find((entry) => entry.link[0]['@_href'].endsWith(slugs.energy))!;
		expect(energy.id).toMatch(/^tag:127\.0\.0\.1,2026:case-study:[a-z0-9]+$/);
		expect(energy.author.map((author) => author.name)).toEqual([organisation.name]);
		expect(energy.title['#text']).toMatch(/^Solar lights for markets/);
		expect(energy.summary['#text']).toContain('solar street lights');
		expect(new Date(energy.updated).toISOString()).toBe(energy.updated);
		expect(new Date(energy.published).toISOString()).toBe(energy.published);
		expect(energy.category.map((category) => category['@_term'])).toEqual(['E', '11.6']);
		expect(energy.category[0]['@_scheme']).toBe(`${baseUrl}/themes`);
	});

	it('carries naughty titles and summaries escaped, without invalid XML characters', async () => {
		const { xml } = await feed(`?organisation=${organisation.slug}&theme=S`);
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(hasInvalidXmlCharacter(xml)).toBe(false);
		expect(xml).not.toContain('<script>');
		expect(xml).toContain(']]&gt;');
		const entries = (xmlParser.parse(xml) as AtomDocument).feed.entry ?? [];
		expect(entries).toHaveLength(1);
		expect(entries[0].title['#text']).toBe(naughtyTitle);
		expect(entries[0].summary['#text']).toBe(
			naughtySummary.replace('\u0001', '').replace('\u0008', '')
		);
	});

	it('is narrowed by the /cases filters', async () => {
		const titles = async (query: string) => {
			const { response, xml } = await feed(`?organisation=${organisation.slug}&${query}`);
			expect(response.status).toBe(200);
			return ((xmlParser.parse(xml) as AtomDocument).feed.entry ?? []).map((entry) =>
				entry.link[0]['@_href'].split('/').pop()
			);
		};
		expect(await titles('theme=E')).toEqual([slugs.energy]);
		expect(await titles('sdg=11.3&technology=open_data_platform')).toEqual([slugs.formula]);
		expect(await titles('country=FR')).toEqual([]);
		for (const query of [
			'theme=E&theme=S',
			'sdg=11.3&sdg=11.6&domain=governance',
			'theme=E&theme=O&theme=S&year=2020&year=2024'
		]) {
			expect((await titles(query)).sort(), query).toEqual(expectedSlugs(query));
		}
	});

	it('is linked from the head of /cases with the same filters', async () => {
		const html = await (await client.get('/cases?theme=E&sdg=11.6')).text();
		const head = html.slice(0, html.indexOf('</head>'));
		expect(head).toMatch(
			/<link rel="alternate" type="application\/atom\+xml" title="CityBridge case studies" href="\/feeds\/case-studies\.atom\?theme=E&amp;sdg=11\.6"/
		);
	});

	it('refuses bad filters and unknown parameters with a 400 problem', async () => {
		const cases: [string, string][] = [
			['theme=Z', 'theme'],
			['year=abc', 'year'],
			['page=2', 'page'],
			['theme=E&theme=Z', 'theme'],
			['year=2020&year=20x', 'year'],
			['sort=newest&sort=validated', 'sort']
		];
		for (const [query, field] of cases) {
			const { response, xml } = await feed(`?${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toContain('application/problem+json');
			const body = JSON.parse(xml) as Problem;
			expect(
				body.errors?.map((error) => error.field),
				query
			).toContain(field);
		}
	});
});
