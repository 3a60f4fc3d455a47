import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import { randomId } from '$lib/server/ids';
import * as listings from '$lib/server/needs-offers';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

/**
 * The restricted-visibility rule of issue 5, path by path: a need and an offer shown only to
 * members of verified organisations (and to their owners) never reach anonymous visitors or
 * members of unverified organisations — not their pages, not a list or a count, not search hits,
 * totals or facet counts, not the API (JSON or CSV), not the matches of other records, not
 * /matches, not an organisation profile, not the "came from" line of a public partnership, not an
 * introduction. The records are written with the domain functions the pages call; everything is
 * then read over HTTP from the real built server.
 *
 * Every organisation here sits in Bhutan, which no other HTTP test uses, so totals filtered by
 * `country=BT` are exact.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);
const tag = randomId().slice(0, 8);
/** A word only this file's listings carry, to search for. */
const word = `zorbelix${tag.replace(/[^a-z]/g, '')}`;

const escaped = (text: string) =>
	text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');

function withServerDb<T>(run: (db: Db) => T): T {
	const db = openDatabase(dbPath);
	try {
		return run(db);
	} finally {
		db.$client.close();
	}
}

const isoDay = (daysFromNow: number) =>
	new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

type Org = { id: string; slug: string; name: string };
type Actor = { id: string; siteRole: 'member' };

/** An organisation in Bhutan (a city in Thimphu, or a partner), optionally verified. */
function organisationFor(
	person: SignedIn,
	name: string,
	kind: 'city' | 'ngo',
	verified: boolean
): Org {
	return withServerDb((db) => {
		const [thimphu] = query<{ id: number }>(
			"SELECT id FROM city WHERE country_code = 'BT' ORDER BY population DESC LIMIT 1"
		);
		const created = organisations.createOrganisation(
			db,
			person.userId,
			organisations.organisationInput.parse({
				name,
				kind,
				country: 'BT',
				city: kind === 'city' ? String(thimphu.id) : '',
				description: 'An organisation in the restricted-listing tests.',
				languages: ['en']
			})
		);
		if (verified) {
			db.$client
				.prepare("UPDATE organisation SET verification_state = 'verified' WHERE id = ?")
				.run(created.id);
		}
		return { ...created, name };
	});
}

const actorOf = (person: SignedIn): Actor => ({ id: person.userId, siteRole: 'member' });

/** Needs and offers of this file share their tags, so that each fits the others. */
const sharedTags = {
	themes: ['N'],
	sdgTargets: ['11.6'],
	cooperationTypes: ['technological', 'knowledge_sharing'],
	languages: ['en']
};

function postNeed(person: SignedIn, org: Org, title: string, visibility: 'public' | 'verified') {
	return withServerDb(
		(db) =>
			listings.createNeed(
				db,
				actorOf(person),
				org.id,
				listings.needInput.parse({
					organisationId: org.id,
					title,
					challenge:
						'Landfill fires choke the valley every dry season; the smoke sensors we tried failed.',
					...sharedTags,
					timeframe: 'within_12_months',
					visibility,
					expiresOn: isoDay(200)
				})
			).id
	);
}

function postOffer(person: SignedIn, org: Org, title: string, visibility: 'public' | 'verified') {
	return withServerDb(
		(db) =>
			listings.createOffer(
				db,
				actorOf(person),
				org.id,
				listings.offerInput.parse({
					organisationId: org.id,
					title,
					description:
						'Technical assistance with landfill smoke sensors and fire prevention for mountain cities.',
					format: 'technical_assistance',
					...sharedTags,
					regions: ['034'],
					countries: ['BT'],
					visibility
				})
			).id
	);
}

type Listing = { id: string; title: string; path: string };

async function html(client: HttpClient, path: string): Promise<string> {
	const response = await client.get(path);
	expect(response.status, path).toBe(200);
	return response.text();
}

async function json<T>(client: HttpClient, path: string): Promise<T> {
	const response = await client.get(path, { accept: 'application/json' });
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
}

/**
 * Neither the record's title nor its id (so no link to it) is anywhere in the text. On a page
 * whose own address names the id (its 404, the language links) only the title is looked for.
 */
function expectAbsent(text: string, listing: Listing, where: string, options = { id: true }) {
	// A boolean, not toContain: a failure names the place, not the whole page.
	expect(text.includes(listing.title), `${where} shows the title of ${listing.path}`).toBe(false);
	expect(text.includes(escaped(listing.title)), `${where} shows the title of ${listing.path}`).toBe(
		false
	);
	if (options.id) {
		expect(text.includes(listing.id), `${where} names ${listing.path}`).toBe(false);
	}
}

/** The page holds a link to this path. */
function expectLink(text: string, path: string, where: string) {
	expect(text.includes(`href="${path}"`), `${where} links ${path}`).toBe(true);
}

type ListAnswer = { data: { id: string; title: string }[]; total: number; next: string | null };
type SearchAnswer = {
	hits: { type: string; id: string; title: string; url: string }[];
	facets: Record<string, Record<string, number>>;
	total: number;
};

/** How many open, unexpired needs of organisations in Bhutan the database holds, by visibility. */
function openNeedsInBhutan(visibilities: string[]): number {
	return query<{ n: number }>(
		`SELECT count(*) AS n FROM need r JOIN organisation o ON o.id = r.organisation_id
		 WHERE r.status = 'open' AND r.expires_at > ? AND o.country_code = 'BT'
		 AND r.visibility IN (${visibilities.map(() => '?').join(', ')})`,
		Date.now(),
		...visibilities
	)[0].n;
}

describe('needs and offers restricted to verified organisations', () => {
	let needOwner: SignedIn;
	let offerOwner: SignedIn;
	let unverified: SignedIn;
	let verified: SignedIn;
	let cityOrg: Org;
	let partnerOrg: Org;
	let unverifiedOrg: Org;
	let verifiedOrg: Org;
	const restrictedNeed = { id: '', title: `Members-only landfill fire need ${word}`, path: '' };
	const restrictedOffer = { id: '', title: `Members-only landfill sensor offer ${word}`, path: '' };
	const publicNeed = { id: '', title: `Public landfill fire need ${word}`, path: '' };
	const publicOffer = { id: '', title: `Public landfill sensor offer ${word}`, path: '' };
	/** The unverified organisation's own public need and offer: the restricted ones fit them. */
	const unverifiedNeed = { id: '', title: `Unverified city landfill need ${tag}`, path: '' };
	const unverifiedOffer = { id: '', title: `Unverified city sensor offer ${tag}`, path: '' };
	const verifiedNeed = { id: '', title: `Verified city landfill need ${tag}`, path: '' };
	/** A restricted need a public partnership came from (its introduction took it out of "open"). */
	const originNeed = { id: '', title: `Members-only landfill origin need ${tag}`, path: '' };
	let partnershipId = '';

	const restricted = () => [restrictedNeed, restrictedOffer];
	const anonymous = () => new HttpClient(baseUrl);
	/** Who must never see the restricted records. */
	const blind = () => [
		{ who: 'anonymous', client: anonymous() },
		{ who: 'a member of an unverified organisation', client: unverified.client }
	];

	beforeAll(async () => {
		needOwner = await signedIn(baseUrl, dbPath, 'restricted-city');
		offerOwner = await signedIn(baseUrl, dbPath, 'restricted-partner');
		unverified = await signedIn(baseUrl, dbPath, 'restricted-unverified');
		verified = await signedIn(baseUrl, dbPath, 'restricted-verified');
		// The owners' organisations are unverified too: owning is what lets them see their own.
		cityOrg = organisationFor(needOwner, `Thimphu Waste Office ${tag}`, 'city', false);
		partnerOrg = organisationFor(offerOwner, `Himalaya Sensor Lab ${tag}`, 'ngo', false);
		unverifiedOrg = organisationFor(unverified, `Thimphu Ward Seven ${tag}`, 'city', false);
		verifiedOrg = organisationFor(verified, `Thimphu Verified Office ${tag}`, 'city', true);

		restrictedNeed.id = postNeed(needOwner, cityOrg, restrictedNeed.title, 'verified');
		publicNeed.id = postNeed(needOwner, cityOrg, publicNeed.title, 'public');
		restrictedOffer.id = postOffer(offerOwner, partnerOrg, restrictedOffer.title, 'verified');
		publicOffer.id = postOffer(offerOwner, partnerOrg, publicOffer.title, 'public');
		unverifiedNeed.id = postNeed(unverified, unverifiedOrg, unverifiedNeed.title, 'public');
		unverifiedOffer.id = postOffer(unverified, unverifiedOrg, unverifiedOffer.title, 'public');
		verifiedNeed.id = postNeed(verified, verifiedOrg, verifiedNeed.title, 'public');
		originNeed.id = postNeed(needOwner, cityOrg, originNeed.title, 'verified');
		for (const need of [restrictedNeed, publicNeed, unverifiedNeed, verifiedNeed, originNeed]) {
			need.path = `/needs/${need.id}`;
		}
		for (const offer of [restrictedOffer, publicOffer, unverifiedOffer]) {
			offer.path = `/offers/${offer.id}`;
		}

		// A partnership that came from the restricted need and the public offer, made public by
		// both parties: its record is public, where it came from stays restricted.
		partnershipId = withServerDb((db) => {
			const introduction = partnerships.requestIntroduction(db, actorOf(needOwner), {
				fromOrganisationId: cityOrg.id,
				needId: originNeed.id,
				offerId: publicOffer.id,
				message: 'We would like your help with the landfill sensors.'
			});
			const { partnershipId } = partnerships.respondToIntroduction(
				db,
				actorOf(offerOwner),
				introduction.id,
				{ decision: 'accept', note: 'Gladly.' }
			);
			partnerships.setConsent(db, actorOf(needOwner), partnershipId!, cityOrg.id, true);
			partnerships.setConsent(db, actorOf(offerOwner), partnershipId!, partnerOrg.id, true);
			return partnershipId!;
		});
	});

	describe('are invisible to anonymous visitors and to members of unverified organisations', () => {
		it('their own pages answer 404, in every language, and their editors too', async () => {
			for (const { who, client } of blind()) {
				for (const listing of restricted()) {
					for (const path of [listing.path, `/fr${listing.path}`]) {
						const response = await client.get(path);
						expect(response.status, `${who}: ${path}`).toBe(404);
						expectAbsent(await response.text(), listing, `${who}: ${path}`, { id: false });
					}
					const editor = await client.get(`${listing.path}/edit`);
					expect(editor.status, `${who}: ${listing.path}/edit`).not.toBe(200);
					expectAbsent(await editor.text(), listing, `${who}: ${listing.path}/edit`, {
						id: false
					});
				}
			}
		});

		it('the /needs and /offers lists leave them out, and out of their counts', async () => {
			for (const { who, client } of blind()) {
				for (const path of [
					'/needs',
					'/needs?country=BT',
					'/needs?theme=N&sdg=11.6',
					'/needs?region=034',
					'/offers',
					'/offers?country=BT',
					'/offers?theme=N&cooperation=technological',
					'/fr/needs?country=BT'
				]) {
					const body = await html(client, path);
					for (const listing of restricted()) expectAbsent(body, listing, `${who}: ${path}`);
				}
				const needs = await json<ListAnswer>(client, '/api/v1/needs?country=BT&limit=100');
				expect(needs.total, `${who}: needs in Bhutan`).toBe(openNeedsInBhutan(['public']));
				// Offers serving Bhutan include other files' global ones: the total counts what is listed.
				const offers = await json<ListAnswer>(client, '/api/v1/offers?country=BT&limit=100');
				expect(offers.next, `${who}: one page of offers`).toBeNull();
				expect(offers.total, `${who}: offers for Bhutan`).toBe(offers.data.length);
				// The page's count is the API's.
				const page = await html(client, '/needs?country=BT');
				expect(page, `${who}: count on /needs`).toMatch(
					new RegExp(`\\b${needs.total}\\b[^<]*(need|result)`, 'i')
				);
			}
		});

		it('search leaves them out of hits, totals and facet counts', async () => {
			for (const { who, client } of blind()) {
				const answer = await json<SearchAnswer>(client, `/api/v1/search?q=${word}`);
				expect(answer.hits.map((hit) => hit.title).sort(), who).toEqual(
					[publicNeed.title, publicOffer.title].sort()
				);
				expect(answer.total, `${who}: total`).toBe(2);
				expect(answer.facets.type ?? {}, `${who}: type facet`).toEqual({ need: 1, offer: 1 });
				for (const values of Object.values(answer.facets)) {
					for (const count of Object.values(values)) expect(count).toBeLessThanOrEqual(2);
				}
				for (const listing of restricted()) {
					expectAbsent(JSON.stringify(answer), listing, `${who}: /api/v1/search`);
					const csv = await client.get(`/api/v1/search?q=${word}&format=csv`);
					expectAbsent(await csv.text(), listing, `${who}: search CSV`);
				}
				for (const path of [
					`/search?q=${word}`,
					`/search?q=${word}&type=need`,
					'/search?type=offer'
				]) {
					const body = await html(client, path);
					for (const listing of restricted()) expectAbsent(body, listing, `${who}: ${path}`);
				}
			}
		});

		it('the needs and offers API leaves them out of data, totals and CSV, and answers 404', async () => {
			for (const { who, client } of blind()) {
				for (const [list, listing] of [
					['/api/v1/needs', restrictedNeed],
					['/api/v1/offers', restrictedOffer]
				] as const) {
					for (const search of ['?limit=100', '?country=BT&limit=100', '?theme=N&limit=100']) {
						const answer = await json<ListAnswer>(client, `${list}${search}`);
						expect(
							answer.data.map((item) => item.id),
							`${who}: ${list}${search}`
						).not.toContain(listing.id);
						expectAbsent(JSON.stringify(answer), listing, `${who}: ${list}${search}`);
					}
					const csv = await client.get(`${list}?country=BT&limit=100`, { accept: 'text/csv' });
					expect(csv.status, `${who}: ${list} CSV`).toBe(200);
					expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
					expectAbsent(await csv.text(), listing, `${who}: ${list} CSV`);
					const detail = await client.get(`${list}/${listing.id}`, { accept: 'application/json' });
					expect(detail.status, `${who}: ${list}/{id}`).toBe(404);
					expect(detail.headers.get('content-type')).toMatch(/^application\/problem\+json/);
					expectAbsent(await detail.text(), listing, `${who}: ${list}/{id}`);
					const matches = await client.get(`${list}/${listing.id}/matches`, {
						accept: 'application/json'
					});
					expect(matches.status, `${who}: ${list}/{id}/matches`).toBe(404);
				}
			}
		});

		it('the CSV asked for with ?format=csv (API.md: on every list) leaves them out too', async () => {
			for (const { who, client } of blind()) {
				for (const [list, listing] of [
					['/api/v1/needs', restrictedNeed],
					['/api/v1/offers', restrictedOffer]
				] as const) {
					const csv = await client.get(`${list}?country=BT&format=csv`);
					const body = await csv.text();
					expect(csv.status, `${who}: ${list}?format=csv answered ${body.slice(0, 300)}`).toBe(200);
					expectAbsent(body, listing, `${who}: ${list}?format=csv`);
				}
			}
		});

		it('other records’ matches leave them out, in the API and on the pages', async () => {
			for (const { who, client } of blind()) {
				for (const path of [
					`/api/v1/needs/${publicNeed.id}/matches`,
					`/api/v1/needs/${unverifiedNeed.id}/matches`,
					`/api/v1/offers/${publicOffer.id}/matches`,
					`/api/v1/offers/${unverifiedOffer.id}/matches`,
					publicNeed.path,
					unverifiedNeed.path,
					publicOffer.path,
					unverifiedOffer.path
				]) {
					const response = await client.get(path);
					expect(response.status, `${who}: ${path}`).toBe(200);
					const body = await response.text();
					for (const listing of restricted()) expectAbsent(body, listing, `${who}: ${path}`);
				}
			}
			// The public offer does show up among the public need's matches: the list is not empty.
			expect(
				JSON.stringify(await json(anonymous(), `/api/v1/needs/${unverifiedNeed.id}/matches`))
			).toContain(publicOffer.id);
		});

		it('“matches for you” leaves them out for a member of an unverified organisation', async () => {
			const body = await html(unverified.client, '/matches');
			expect(body.includes(escaped(publicOffer.title)), 'the public matches are there').toBe(true);
			for (const listing of restricted()) expectAbsent(body, listing, 'unverified: /matches');
		});

		it('the owners’ profiles leave them out', async () => {
			for (const { who, client } of blind()) {
				for (const [org, listing] of [
					[cityOrg, restrictedNeed],
					[partnerOrg, restrictedOffer]
				] as const) {
					const body = await html(client, `/organisations/${org.slug}`);
					expectAbsent(body, listing, `${who}: /organisations/${org.slug}`);
				}
				expectLink(
					await html(client, `/organisations/${cityOrg.slug}`),
					publicNeed.path,
					'the page'
				);
			}
		});

		it('a public partnership that came from a restricted need does not link it', async () => {
			for (const { who, client } of blind()) {
				const page = await client.get(`/partnerships/${partnershipId}`);
				expect(page.status, `${who}: the partnership itself is public`).toBe(200);
				const body = await page.text();
				expectLink(body, publicOffer.path, `${who}: the public offer it came from`);
				expect(body.includes(originNeed.id), `${who}: /partnerships/{id} names the need`).toBe(
					false
				);
				const list = await html(client, '/partnerships');
				expectLink(list, `/partnerships/${partnershipId}`, `${who}: /partnerships`);
				expect(list.includes(originNeed.id), `${who}: /partnerships names the need`).toBe(false);
				for (const path of [
					`/api/v1/partnerships/${partnershipId}`,
					'/api/v1/partnerships?limit=100'
				]) {
					const answer = JSON.stringify(await json(client, path));
					expect(answer.includes(originNeed.id), `${who}: ${path} names the need`).toBe(false);
				}
			}
		});

		it('nor shows the restricted need’s title on its public record', async () => {
			for (const { who, client } of blind()) {
				expectAbsent(
					await html(client, `/partnerships/${partnershipId}`),
					originNeed,
					`${who}: /partnerships/{id}`
				);
				expectAbsent(await html(client, '/partnerships'), originNeed, `${who}: /partnerships`);
				expectAbsent(
					JSON.stringify(await json(client, `/api/v1/partnerships/${partnershipId}`)),
					originNeed,
					`${who}: /api/v1/partnerships/{id}`
				);
			}
		});

		it('nobody blind to it can ask for an introduction about it', async () => {
			const count = () =>
				query<{ n: number }>(
					'SELECT count(*) AS n FROM introduction WHERE need_id = ? OR offer_id = ?',
					restrictedNeed.id,
					restrictedOffer.id
				)[0].n;
			const before = count();
			for (const path of [
				`/introductions/new?need=${restrictedNeed.id}&offer=${unverifiedOffer.id}`,
				`/introductions/new?need=${unverifiedNeed.id}&offer=${restrictedOffer.id}`
			]) {
				const page = await (await unverified.client.get(path)).text();
				for (const listing of restricted()) {
					expectAbsent(page, listing, `unverified: ${path}`, { id: false });
				}
				const posted = await unverified.client.postForm(`${path}&/request`, {
					fromOrganisationId: unverifiedOrg.id,
					message: 'We would like to talk about this listing, please.'
				});
				expect([400, 403, 404], `unverified: ${path} ?/request`).toContain(posted.status);
				const answer = await posted.text();
				for (const listing of restricted()) {
					expectAbsent(answer, listing, `unverified: ${path} ?/request`, { id: false });
				}
			}
			expect(count()).toBe(before);
			const introductions = await html(unverified.client, '/introductions');
			for (const listing of restricted()) expectAbsent(introductions, listing, '/introductions');
		});

		it('an unverified member does not see another organisation’s restricted listing', async () => {
			// The city's owner is unverified: it sees its own restricted need, not the partner's offer.
			expect((await needOwner.client.get(restrictedOffer.path)).status).toBe(404);
			expect((await offerOwner.client.get(restrictedNeed.path)).status).toBe(404);
		});
	});

	describe('are visible to members of verified organisations and to their owners', () => {
		const seers = () => [
			{
				who: 'a member of a verified organisation',
				client: verified.client,
				listings: restricted()
			},
			{ who: 'the need’s owner', client: needOwner.client, listings: [restrictedNeed] },
			{ who: 'the offer’s owner', client: offerOwner.client, listings: [restrictedOffer] }
		];

		it('on their pages, in the lists and the API', async () => {
			for (const { who, client, listings: visible } of seers()) {
				for (const listing of visible) {
					expect(
						(await html(client, listing.path)).includes(escaped(listing.title)),
						`${who}: ${listing.path}`
					).toBe(true);
					const kind = listing.path.startsWith('/needs') ? 'needs' : 'offers';
					expectLink(await html(client, `/${kind}?country=BT`), listing.path, `${who}: /${kind}`);
					const answer = await json<ListAnswer>(client, `/api/v1/${kind}?country=BT&limit=100`);
					expect(
						answer.data.map((item) => item.id),
						`${who}: /api/v1/${kind}`
					).toContain(listing.id);
					const detail = await json<{ id?: string; data?: { id: string } }>(
						client,
						`/api/v1/${kind}/${listing.id}`
					);
					expect(detail.data?.id ?? detail.id).toBe(listing.id);
				}
			}
			const needs = await json<ListAnswer>(verified.client, '/api/v1/needs?country=BT&limit=100');
			expect(needs.total).toBe(openNeedsInBhutan(['public', 'verified']));
		});

		it('in search, with their counts', async () => {
			const answer = await json<SearchAnswer>(verified.client, `/api/v1/search?q=${word}`);
			expect(answer.total).toBe(4);
			expect(answer.facets.type).toEqual({ need: 2, offer: 2 });
			expect(answer.hits.map((hit) => hit.title)).toEqual(
				expect.arrayContaining([restrictedNeed.title, restrictedOffer.title])
			);
			// Search knows two audiences (public, verified), not memberships: an unverified owner finds
			// its own restricted need on its pages and lists, and in search no other restricted record.
			const own = await json<SearchAnswer>(needOwner.client, `/api/v1/search?q=${word}`);
			expect(own.hits.map((hit) => hit.title)).not.toContain(restrictedOffer.title);
		});

		it('among the matches of the verified member’s need and on /matches', async () => {
			expect(
				JSON.stringify(await json(verified.client, `/api/v1/needs/${verifiedNeed.id}/matches`))
			).toContain(restrictedOffer.id);
			expectLink(await html(verified.client, verifiedNeed.path), restrictedOffer.path, 'the page');
			expect(
				(await html(verified.client, '/matches')).includes(escaped(restrictedOffer.title)),
				'the page'
			).toBe(true);
		});

		it('on the owner’s profile and the partnership page, for those who may see it', async () => {
			expectLink(
				await html(needOwner.client, `/organisations/${cityOrg.slug}`),
				restrictedNeed.path,
				'the page'
			);
			expectLink(
				await html(verified.client, `/organisations/${partnerOrg.slug}`),
				restrictedOffer.path,
				'the page'
			);
			expectLink(
				await html(verified.client, `/partnerships/${partnershipId}`),
				originNeed.path,
				'verified: the partnership’s origin'
			);
		});
	});
});
