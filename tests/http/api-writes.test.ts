import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as apiTokens from '$lib/server/api-tokens';
import { openDatabase } from '$lib/server/db';
import * as organisations from '$lib/server/organisations';
import { newOrganisation, signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { needValues, offerValues } from '../support/listing-fixtures';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: { field: string; message: string }[];
};
type Listing = Record<string, unknown> & { id: string; title: string; url: string };

let owner: SignedIn;
let outsider: SignedIn;
let city: { id: string; slug: string };
let partnerId = '';
const tokens = { city: '', partner: '', otherCity: '', revoked: '' };

/** A partner organisation and tokens, written through the domain code into the server's database. */
function seed(otherCityId: string, otherOwnerId: string) {
	const db = openDatabase(dbPath);
	try {
		partnerId = organisations.createOrganisation(db, owner.userId, {
			name: `Token Partner ${Date.now()}`,
			kind: 'ngo',
			country: 'FR',
			city: null,
			website: null,
			description: '',
			languages: []
		}).id;
		const actor = { id: owner.userId, siteRole: 'member' as const };
		const issue = (organisationId: string, issuer = actor) =>
			apiTokens.issue(db, issuer, organisationId, { name: 'Tests', expiresOn: null }).token;
		tokens.city = issue(city.id);
		tokens.partner = issue(partnerId);
		tokens.otherCity = issue(otherCityId, { id: otherOwnerId, siteRole: 'member' });
		tokens.revoked = issue(city.id);
		const [revoked] = apiTokens
			.list(db, actor, city.id)
			.filter((row) => tokens.revoked.startsWith(row.prefix));
		apiTokens.revoke(db, actor, city.id, revoked.id);
	} finally {
		db.$client.close();
	}
}

beforeAll(async () => {
	let otherOwner: SignedIn;
	[owner, outsider, otherOwner] = await Promise.all([
		signedIn(baseUrl, dbPath, 'writes-owner'),
		signedIn(baseUrl, dbPath, 'writes-outsider'),
		signedIn(baseUrl, dbPath, 'writes-other')
	]);
	city = await newOrganisation(owner, dbPath);
	const otherCity = await newOrganisation(otherOwner, dbPath);
	seed(otherCity.id, otherOwner.userId);
});

/** A JSON request from its own address (so the anonymous limit never adds up across tests). */
async function send(
	method: 'POST' | 'PUT',
	path: string,
	body: unknown,
	options: { token?: string; client?: HttpClient; headers?: Record<string, string> } = {}
) {
	const client = options.client ?? new HttpClient(baseUrl);
	const headers: Record<string, string> = {
		accept: 'application/json',
		'content-type': 'application/json',
		...options.headers
	};
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	return client.request(path, {
		method,
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

async function expectProblem(response: Response, status: number): Promise<Problem> {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toContain('application/problem+json');
	const problem = (await response.json()) as Problem;
	expect(problem).toMatchObject({ type: 'about:blank', status });
	return problem;
}

const fieldsOf = (problem: Problem) => (problem.errors ?? []).map((error) => error.field).sort();

async function publicGet(path: string) {
	return new HttpClient(baseUrl).get(path, { accept: 'application/json' });
}

describe('creating and updating with a token', () => {
	it('posts a need: 201, Location, and the body GET answers', async () => {
		const values = needValues({ organisationId: city.id });
		const response = await send('POST', '/api/v1/needs', values, { token: tokens.city });
		expect(response.status).toBe(201);
		const created = (await response.json()) as Listing;
		expect(response.headers.get('location')).toBe(`${baseUrl}/api/v1/needs/${created.id}`);
		expect(created).toMatchObject({
			title: values.title,
			themes: ['S'],
			sdgTargets: ['11.5', '11.b'],
			budget: { amount: 50000, currency: 'USD' },
			organisation: { slug: city.slug, kind: 'city' },
			status: 'open'
		});
		const fetched = await publicGet(`/api/v1/needs/${created.id}`);
		expect(fetched.status).toBe(200);
		expect(await fetched.json()).toEqual(created);
		const list = (await (await publicGet(`/api/v1/needs?country=KE&limit=100`)).json()) as {
			data: Listing[];
		};
		expect(list.data.map((need) => need.id)).toContain(created.id);
	});

	it("posts for the token's own organisation when organisationId is left out", async () => {
		const response = await send('POST', '/api/v1/needs', needValues(), { token: tokens.city });
		expect(response.status).toBe(201);
		expect(((await response.json()) as Listing).organisation).toMatchObject({ slug: city.slug });
	});

	it('replaces a need with PUT and answers the new body', async () => {
		const created = (await (
			await send('POST', '/api/v1/needs', needValues(), { token: tokens.city })
		).json()) as Listing;
		const values = needValues({ title: 'Flood sensors for the river basin', themes: ['E', 'S'] });
		const response = await send('PUT', `/api/v1/needs/${created.id}`, values, {
			token: tokens.city
		});
		expect(response.status).toBe(200);
		const updated = (await response.json()) as Listing;
		expect(updated).toMatchObject({ id: created.id, title: values.title, themes: ['E', 'S'] });
		expect(await (await publicGet(`/api/v1/needs/${created.id}`)).json()).toEqual(updated);
		// Sending its own organisationId back is fine; another is not.
		const same = await send(
			'PUT',
			`/api/v1/needs/${created.id}`,
			{ ...values, organisationId: city.id },
			{ token: tokens.city }
		);
		expect(same.status).toBe(200);
	});

	it('posts and replaces an offer', async () => {
		const response = await send(
			'POST',
			'/api/v1/offers',
			offerValues({ organisationId: partnerId }),
			{ token: tokens.partner }
		);
		expect(response.status).toBe(201);
		const created = (await response.json()) as Listing;
		expect(response.headers.get('location')).toBe(`${baseUrl}/api/v1/offers/${created.id}`);
		expect(created).toMatchObject({ format: 'training', regionsServed: ['002'] });
		const replaced = await send(
			'PUT',
			`/api/v1/offers/${created.id}`,
			offerValues({ title: 'Study visit on flood sensors', format: 'study_visit', isGlobal: true }),
			{ token: tokens.partner }
		);
		expect(replaced.status).toBe(200);
		const updated = (await replaced.json()) as Listing;
		expect(updated).toMatchObject({ format: 'study_visit', isGlobal: true, regionsServed: [] });
		expect(await (await publicGet(`/api/v1/offers/${created.id}`)).json()).toEqual(updated);
	});
});

describe('creating and updating with a session', () => {
	it('lets a signed-in member post and replace, as the forms do', async () => {
		const response = await send('POST', '/api/v1/needs', needValues({ organisationId: city.id }), {
			client: owner.client
		});
		expect(response.status).toBe(201);
		const created = (await response.json()) as Listing;
		const put = await send(
			'PUT',
			`/api/v1/needs/${created.id}`,
			needValues({ title: 'Renamed by session' }),
			{
				client: owner.client
			}
		);
		expect(put.status).toBe(200);
		expect(((await put.json()) as Listing).title).toBe('Renamed by session');
	});

	it('refuses a signed-in non-member with 403', async () => {
		const post = await send('POST', '/api/v1/needs', needValues({ organisationId: city.id }), {
			client: outsider.client
		});
		expect(fieldsOf(await expectProblem(post, 403))).toEqual(['organisationId']);
		const created = (await (
			await send('POST', '/api/v1/needs', needValues(), { token: tokens.city })
		).json()) as Listing;
		const put = await send('PUT', `/api/v1/needs/${created.id}`, needValues(), {
			client: outsider.client
		});
		await expectProblem(put, 403);
	});
});

describe('authentication and authorization', () => {
	it('answers 401 without credentials, with a garbage token and with a revoked token', async () => {
		const anonymous = await send('POST', '/api/v1/needs', needValues({ organisationId: city.id }));
		await expectProblem(anonymous, 401);
		expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
		for (const token of ['garbage', `cbt_${'a'.repeat(32)}`, tokens.revoked]) {
			const response = await send('POST', '/api/v1/needs', needValues(), { token });
			const problem = await expectProblem(response, 401);
			expect(problem.detail).toContain('not valid');
		}
		const basic = await send('PUT', '/api/v1/needs/anything', needValues(), {
			headers: { authorization: 'Basic dXNlcjpwYXNz' }
		});
		await expectProblem(basic, 401);
		// A bad token is refused even on reads: never silently anonymous.
		const read = await new HttpClient(baseUrl).get('/api/v1/needs', {
			accept: 'application/json',
			authorization: 'Bearer garbage'
		});
		await expectProblem(read, 401);
	});

	it("answers 403 for another organisation's token", async () => {
		const post = await send('POST', '/api/v1/needs', needValues({ organisationId: city.id }), {
			token: tokens.otherCity
		});
		const problem = await expectProblem(post, 403);
		expect(problem.errors).toEqual([
			{ field: 'organisationId', message: 'This API token writes only for its own organisation.' }
		]);
		// The owner's city token cannot post for the partner the same owner also runs.
		const partner = await send(
			'POST',
			'/api/v1/offers',
			offerValues({ organisationId: partnerId }),
			{
				token: tokens.city
			}
		);
		await expectProblem(partner, 403);
		const created = (await (
			await send('POST', '/api/v1/needs', needValues(), { token: tokens.city })
		).json()) as Listing;
		const put = await send('PUT', `/api/v1/needs/${created.id}`, needValues(), {
			token: tokens.otherCity
		});
		await expectProblem(put, 403);
		const moved = await send(
			'PUT',
			`/api/v1/needs/${created.id}`,
			needValues({ organisationId: partnerId }),
			{ token: tokens.city }
		);
		expect(fieldsOf(await expectProblem(moved, 400))).toEqual(['organisationId']);
	});

	it('answers 404 for an unknown id', async () => {
		for (const path of ['/api/v1/needs/no-such-need', '/api/v1/offers/no-such-offer']) {
			const body = path.includes('needs') ? needValues() : offerValues();
			await expectProblem(await send('PUT', path, body, { token: tokens.city }), 404);
		}
	});
});

describe('bad input', () => {
	const post = (body: unknown, headers: Record<string, string> = {}) =>
		send('POST', '/api/v1/needs', body, { token: tokens.city, headers });

	it('answers 400 with field errors for wrong types, missing fields and unknown vocabulary ids', async () => {
		const cases: [Record<string, unknown>, string[]][] = [
			[{ title: 42, themes: 'S', budgetAmount: 'lots' }, ['budgetAmount', 'title']],
			[{ themes: [1], sdgTargets: {} }, ['sdgTargets', 'themes.0']],
			[
				{ themes: ['Z'], sdgTargets: ['11.9'], cooperationTypes: ['bribery'] },
				['cooperationTypes.0', 'sdgTargets.0', 'themes.0']
			],
			[
				{ timeframe: 'someday', visibility: 'secret', languages: ['xx'] },
				['languages.0', 'timeframe', 'visibility']
			],
			[{ title: 't'.repeat(151), challenge: 'c'.repeat(10_001) }, ['challenge', 'title']],
			[{ expiresOn: '2020-01-01' }, ['expiresOn']]
		];
		for (const [overrides, fields] of cases) {
			const problem = await expectProblem(await post(needValues(overrides)), 400);
			expect(fieldsOf(problem), JSON.stringify(overrides)).toEqual(fields);
			for (const error of problem.errors!) expect(error.message.length).toBeGreaterThan(5);
		}
		const empty = await expectProblem(await post({}), 400);
		expect(fieldsOf(empty)).toEqual(
			expect.arrayContaining([
				'challenge',
				'cooperationTypes',
				'sdgTargets',
				'themes',
				'timeframe',
				'title'
			])
		);
	});

	it('answers 400 for an unknown field, naming it', async () => {
		const problem = await expectProblem(await post(needValues({ expiresAt: '2027-01-01' })), 400);
		expect(problem.errors).toEqual([
			{ field: 'expiresAt', message: expect.stringContaining('not known') }
		]);
	});

	it('answers 400 for malformed JSON, a JSON array and a bare string', async () => {
		for (const body of ['{"title": ', '[1, 2]', '"need"', '']) {
			const problem = await expectProblem(await post(body), 400);
			expect(problem.detail).toMatch(/JSON/);
		}
	});

	it('answers 413 for a body over 64 KiB', async () => {
		const huge = JSON.stringify(needValues({ challenge: 'x'.repeat(70 * 1024) }));
		await expectProblem(await post(huge), 413);
	});

	it('answers 415 when the body is not declared as JSON', async () => {
		const body = JSON.stringify(needValues());
		await expectProblem(await post(body, { 'content-type': 'application/xml' }), 415);
		await expectProblem(await post(body, { 'content-type': 'text/plain', origin: baseUrl }), 415);
		const charset = await post(needValues(), { 'content-type': 'application/json; charset=utf-8' });
		expect(charset.status).toBe(201);
	});

	it('answers 422 for a need posted by an organisation that is not a city', async () => {
		const response = await send('POST', '/api/v1/needs', needValues(), { token: tokens.partner });
		const problem = await expectProblem(response, 422);
		expect(fieldsOf(problem)).toEqual(['organisationId']);
	});

	it('answers 400 naming the countries field for an unknown country code on an offer', async () => {
		const response = await send(
			'POST',
			'/api/v1/offers',
			offerValues({ regions: [], countries: ['ZZ'] }),
			{ token: tokens.partner }
		);
		expect(fieldsOf(await expectProblem(response, 400))).toEqual(['countries']);
	});
});
