import { beforeAll, describe, expect, inject, it } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { newOrganisation, signedIn, signedInAdmin, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

/**
 * Issue 5's HTTP journey through the forms a browser without JavaScript posts: a city member
 * posts a need, a partner member posts an offer that fits it; the need's page and the matches API
 * show the offer with its reasons in plain words; the city asks for an introduction, the partner
 * accepts it from /introductions, and both sides carry the partnership through agreed, active and
 * completed with an update and a result; once both consent it is public on /partnerships, the API
 * and both profiles. Every state change tried by an outsider (a member of a third organisation,
 * or anonymous) is refused and changes nothing.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);
const anonymous = () => new HttpClient(baseUrl);
const tag = randomId().slice(0, 8);

/** Text as Svelte writes it into HTML text and attribute values. */
const escaped = (text: string) =>
	text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
/** A path as it stands in an href (`&` escaped). */
const href = (path: string) => `href="${path.replaceAll('&', '&amp;')}"`;

const isoDay = (daysFromNow: number) =>
	new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

async function describeFailure(response: Response): Promise<string> {
	if (response.status < 400)
		return `status ${response.status} → ${response.headers.get('location')}`;
	const body = await response.clone().text();
	const alert = body.match(/role="alert"[^>]*>([\s\S]{0,600})/)?.[1]?.replace(/<[^>]+>/g, ' ');
	return `status ${response.status}: ${(alert ?? body.slice(0, 400)).replace(/\s+/g, ' ')}`;
}

async function html(client: HttpClient, path: string): Promise<string> {
	const response = await client.get(path);
	expect(response.status, `${path}: ${await describeFailure(response)}`).toBe(200);
	return response.text();
}

async function api<T>(client: HttpClient, path: string, status = 200): Promise<T> {
	const response = await client.get(path, { accept: 'application/json' });
	expect(response.status, path).toBe(status);
	return (await response.json()) as T;
}

/** A refused write: signed out it is a 401/403 or a redirect to the login page; never a success. */
function expectRefused(response: Response, who: string, what: string) {
	if (response.status === 303) {
		expect(response.headers.get('location'), `${who}: ${what}`).toMatch(/^\/login/);
	} else {
		expect([401, 403, 404], `${who}: ${what} answered ${response.status}`).toContain(
			response.status
		);
	}
}

/** A partner organisation (not a city) created through the form; its creator owns it. */
async function newPartnerOrganisation(owner: SignedIn, name: string) {
	const response = await owner.client.postForm('/organisations/new?/create', {
		name,
		kind: 'international_organisation',
		country: 'FR',
		city: '',
		website: 'https://partner.example.org',
		description: 'A cooperation agency in the matchmaking journey.',
		languages: ['en', 'fr']
	});
	expect(response.status, await describeFailure(response)).toBe(303);
	const slug = response.headers.get('location')!.split('/').pop()!;
	const [row] = query<{ id: string }>('SELECT id FROM organisation WHERE slug = ?', slug);
	return { id: row.id, slug, name };
}

const needTitle = `Flood early warning by text message ${tag}`;
const offerTitle = `Peer exchange on flood alert systems ${tag}`;

function needFields(organisationId: string): Record<string, string | string[]> {
	return {
		organisationId,
		title: needTitle,
		challenge:
			'Every rainy season the **informal settlements** along the river flood at night and people learn of it too late.',
		triedSoFar: 'Sirens in two wards; they are not heard indoors.',
		themes: ['S', 'E'],
		sdgTargets: ['11.5', '11.b'],
		cooperationTypes: ['knowledge_sharing', 'capacity_building'],
		languages: ['en', 'fr'],
		timeframe: 'within_12_months',
		budgetAmount: '20000',
		budgetCurrency: 'USD',
		visibility: 'public',
		expiresOn: isoDay(180)
	};
}

function offerFields(organisationId: string): Record<string, string | string[]> {
	return {
		organisationId,
		title: offerTitle,
		description:
			'Cities that run **flood early warning** by text message host peers for a week and then coach them for six months.',
		format: 'peer_exchange',
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['knowledge_sharing'],
		regions: ['202'],
		countries: ['KE'],
		languages: ['fr'],
		capacity: '5',
		eligibleIncomeGroups: ['L', 'LM'],
		deadline: isoDay(120),
		visibility: 'public'
	};
}

type NeedRow = { id: string; title: string; status: string; organisation_id: string };
type IntroductionRow = {
	id: string;
	status: string;
	from_organisation_id: string;
	to_organisation_id: string;
	need_id: string | null;
	offer_id: string | null;
	partnership_id: string | null;
};
type PartnershipRow = {
	id: string;
	status: string;
	need_id: string | null;
	offer_id: string | null;
	updated_at: number;
	last_activity_at: number;
};

const needRow = (id: string) =>
	query<NeedRow>('SELECT id, title, status, organisation_id FROM need WHERE id = ?', id)[0];
const introductionRows = (needId: string) =>
	query<IntroductionRow>(
		`SELECT id, status, from_organisation_id, to_organisation_id, need_id, offer_id, partnership_id
		 FROM introduction WHERE need_id = ? ORDER BY created_at`,
		needId
	);
const partnershipRow = (id: string) =>
	query<PartnershipRow>(
		'SELECT id, status, need_id, offer_id, updated_at, last_activity_at FROM partnership WHERE id = ?',
		id
	)[0];
/** Everything about a partnership that a write could change, to compare before and after. */
const partnershipState = (id: string) => ({
	row: partnershipRow(id),
	parties: query(
		'SELECT organisation_id, role, consents_to_publish FROM partnership_party WHERE partnership_id = ? ORDER BY position',
		id
	),
	updates: query<{ n: number }>(
		'SELECT count(*) AS n FROM partnership_update WHERE partnership_id = ?',
		id
	)[0].n,
	results: query(
		'SELECT indicator, baseline, result, unit FROM partnership_result WHERE partnership_id = ? ORDER BY position',
		id
	),
	milestones: query<{ n: number }>(
		'SELECT count(*) AS n FROM partnership_milestone WHERE partnership_id = ?',
		id
	)[0].n
});
const outboxCount = (address: string) =>
	query<{ n: number }>('SELECT count(*) AS n FROM email_outbox WHERE to_address = ?', address)[0].n;
const notificationsOf = (userId: string) =>
	query<{ kind: string; path: string }>(
		'SELECT kind, path FROM notification WHERE user_id = ? ORDER BY id',
		userId
	);

type Reason = {
	code: string;
	label: string;
	weight: number;
	detail: { criterion: string; points: number; values: string[] };
};
type OfferMatch = { score: number; offer?: { id: string; title: string }; reasons: Reason[] };

/** The offers among a need's matches (the answer lists every kind: offer, organisation, …). */
function offerMatches(body: unknown): OfferMatch[] {
	const list = (body as { data: (OfferMatch & { kind: string })[] }).data;
	expect(Array.isArray(list), `matches answer: ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
	return list.filter((item) => item.kind === 'offer');
}

describe('matchmaking journey: need → match → introduction → partnership → public record', () => {
	let city: SignedIn;
	let partner: SignedIn;
	let outsider: SignedIn;
	let admin: SignedIn;
	let cityOrg: { id: string; slug: string; name: string };
	let partnerOrg: { id: string; slug: string; name: string };
	let needId = '';
	let offerId = '';
	let introductionId = '';
	let partnershipId = '';
	const outsiders = () => [
		{ who: 'a member of a third organisation', client: outsider.client },
		{ who: 'anonymous', client: anonymous() }
	];

	beforeAll(async () => {
		city = await signedIn(baseUrl, dbPath, 'mm-city');
		cityOrg = await newOrganisation(city, dbPath, { name: `Nairobi Journey City ${tag}` });
		partner = await signedIn(baseUrl, dbPath, 'mm-partner');
		partnerOrg = await newPartnerOrganisation(partner, `Flood Alert Partners ${tag}`);
		outsider = await signedIn(baseUrl, dbPath, 'mm-outsider');
		// Verified: it sees everything public and restricted, and still may change nothing here.
		await newOrganisation(outsider, dbPath, {
			verified: true,
			name: `Outsider Journey City ${tag}`
		});
		admin = await signedInAdmin(baseUrl, dbPath);
	});

	it('nobody but a member of the city may post a need for it', async () => {
		const count = () =>
			query<{ n: number }>(
				'SELECT count(*) AS n FROM need WHERE organisation_id = ?',
				cityOrg.id
			)[0].n;
		for (const { who, client } of outsiders()) {
			expectRefused(
				await client.postForm('/needs/new?/create', needFields(cityOrg.id)),
				who,
				'posting a need for the city'
			);
		}
		expect(count()).toBe(0);
	});

	it('a city member posts a need through the form', async () => {
		expect(await html(city.client, '/needs/new')).toContain(escaped(cityOrg.name));
		const response = await city.client.postForm('/needs/new?/create', needFields(cityOrg.id));
		expect(response.status, await describeFailure(response)).toBe(303);
		const match = response.headers.get('location')?.match(/^\/needs\/([^/?]+)(?:\?.*)?$/);
		expect(match, `redirect to ${response.headers.get('location')}`).not.toBeNull();
		needId = match![1];
		expect(needRow(needId)).toMatchObject({
			title: needTitle,
			status: 'open',
			organisation_id: cityOrg.id
		});
		const page = await html(anonymous(), `/needs/${needId}`);
		expect(page).toContain(escaped(needTitle));
		expect(page, 'the challenge rendered from Markdown').toContain(
			'<strong>informal settlements</strong>'
		);
	});

	it('a partner member posts an offer that fits it', async () => {
		const response = await partner.client.postForm(
			'/offers/new?/create',
			offerFields(partnerOrg.id)
		);
		expect(response.status, await describeFailure(response)).toBe(303);
		const match = response.headers.get('location')?.match(/^\/offers\/([^/?]+)(?:\?.*)?$/);
		expect(match, `redirect to ${response.headers.get('location')}`).not.toBeNull();
		offerId = match![1];
		const [row] = query<{ title: string; organisation_id: string; status: string }>(
			'SELECT title, organisation_id, status FROM offer WHERE id = ?',
			offerId
		);
		expect(row).toEqual({ title: offerTitle, organisation_id: partnerOrg.id, status: 'open' });
		expect(await html(anonymous(), `/offers/${offerId}`)).toContain(escaped(offerTitle));
		// Each organisation's profile lists what it posted.
		expect(await html(anonymous(), `/organisations/${partnerOrg.slug}`)).toContain(
			href(`/offers/${offerId}`)
		);
		expect(await html(anonymous(), `/organisations/${cityOrg.slug}`)).toContain(
			href(`/needs/${needId}`)
		);
	});

	it('the matches API ranks the offer for the need with reasons in plain words', async () => {
		const matches = offerMatches(await api(anonymous(), `/api/v1/needs/${needId}/matches`));
		const found = matches.find((item) => item.offer!.id === offerId);
		expect(found, 'the new offer among the need’s matches').toBeDefined();
		expect(found!.score).toBeGreaterThan(0);
		expect(found!.score).toBeLessThanOrEqual(100);
		expect(found!.offer!.title).toBe(offerTitle);
		expect(found!.reasons.length).toBeGreaterThanOrEqual(3);
		for (const reason of found!.reasons) {
			expect(reason.code).toMatch(/^[a-z_]+$/);
			expect(typeof reason.weight).toBe('number');
			expect(reason.weight).toBeGreaterThanOrEqual(0);
			expect(reason.weight).toBeLessThanOrEqual(1);
			// A sentence a person reads ("Both work in French"), not an identifier.
			expect(reason.label, JSON.stringify(reason)).toMatch(/\w\s+\w/);
			expect(reason.label, 'no identifiers').not.toMatch(/\b[a-z]+_[a-z_]+\b/);
			expect(reason.detail.criterion).toMatch(/^[A-Z]/);
		}
		const total = found!.reasons.reduce((sum, reason) => sum + reason.weight, 0);
		expect(total, 'the shares add up to the whole score').toBeCloseTo(1, 2);
		const words = found!.reasons.map((reason) => reason.label).join(' ; ');
		expect(words, 'the shared SDG target named').toContain('11.5');
		expect(words, 'the region served named').toMatch(/Sub-Saharan Africa|Kenya/);
		expect(words, 'the shared language named').toMatch(/French/);

		const fromOffer = await api<{ data: { kind: string; need?: { id: string } }[] }>(
			anonymous(),
			`/api/v1/offers/${offerId}/matches`
		);
		expect(fromOffer.data.map((item) => item.need?.id)).toContain(needId);
	});

	it('the need’s page shows the offer, its reasons and a link to ask for an introduction', async () => {
		const body = await html(city.client, `/needs/${needId}`);
		expect(body).toContain(escaped(offerTitle));
		expect(body).toContain(href(`/offers/${offerId}`));
		const matches = offerMatches(await api(city.client, `/api/v1/needs/${needId}/matches`));
		const found = matches.find((item) => item.offer!.id === offerId)!;
		for (const reason of found.reasons) {
			expect(body.includes(escaped(reason.label)), `the page says “${reason.label}”`).toBe(true);
		}
		expect(body).toContain(href(`/introductions/new?need=${needId}&offer=${offerId}`));
	});

	it('outsiders cannot ask for an introduction on the city’s behalf', async () => {
		const path = `/introductions/new?need=${needId}&offer=${offerId}&/request`;
		for (const { who, client } of outsiders()) {
			expectRefused(
				await client.postForm(path, {
					fromOrganisationId: cityOrg.id,
					message: 'We would like to speak for this city, please.'
				}),
				who,
				'requesting an introduction for the city'
			);
		}
		expect(introductionRows(needId)).toEqual([]);
	});

	it('the city asks for an introduction from the match', async () => {
		const path = `/introductions/new?need=${needId}&offer=${offerId}`;
		const form = await html(city.client, path);
		expect(form).toContain(escaped(offerTitle));
		expect(form).toContain(escaped(needTitle));
		const response = await city.client.postForm(`${path}&/request`, {
			fromOrganisationId: cityOrg.id,
			message: `We would like to learn how your member cities run text alerts (${tag}).`
		});
		expect(response.status, await describeFailure(response)).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/introductions(\?.*)?$/);
		const rows = introductionRows(needId);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			status: 'pending',
			from_organisation_id: cityOrg.id,
			to_organisation_id: partnerOrg.id,
			offer_id: offerId,
			partnership_id: null
		});
		introductionId = rows[0].id;
		expect(await html(city.client, '/introductions')).toContain(escaped(offerTitle));
	});

	it('the partner sees it in /introductions and /notifications, and has an email', async () => {
		const introductions = await html(partner.client, '/introductions');
		expect(introductions).toContain(escaped(needTitle));
		expect(introductions).toContain(`value="${introductionId}"`);
		expect(introductions).toContain(tag);

		const notifications = notificationsOf(partner.userId);
		expect(notifications.length, 'an in-app notification for the partner').toBeGreaterThan(0);
		const page = await html(partner.client, '/notifications');
		expect(page).toContain(href(notifications.at(-1)!.path));
		expect(outboxCount(partner.email), 'an email to the partner').toBeGreaterThan(0);
		// Nobody else's notifications show it.
		expect(await html(outsider.client, '/notifications')).not.toContain(escaped(needTitle));
	});

	it('outsiders and the asking city cannot accept or decline it', async () => {
		const attempts = [...outsiders(), { who: 'the city that asked', client: city.client }];
		for (const { who, client } of attempts) {
			for (const action of ['accept', 'decline']) {
				const response = await client.postForm(`/introductions?/${action}`, {
					introductionId,
					note: 'Not mine to answer.'
				});
				expectRefused(response, who, action);
			}
		}
		expect(introductionRows(needId)[0]).toMatchObject({ status: 'pending', partnership_id: null });
		expect(query('SELECT id FROM partnership WHERE need_id = ?', needId)).toEqual([]);
	});

	it('the partner accepts and a proposed partnership links both sides', async () => {
		const before = outboxCount(city.email);
		const response = await partner.client.postForm('/introductions?/accept', {
			introductionId,
			note: 'Happy to host you in March.'
		});
		expect(response.status, await describeFailure(response)).toBe(303);
		const match = response.headers.get('location')?.match(/^\/partnerships\/([^/?]+)/);
		expect(match, `redirect to ${response.headers.get('location')}`).not.toBeNull();
		partnershipId = match![1];
		expect(introductionRows(needId)[0]).toMatchObject({
			status: 'accepted',
			partnership_id: partnershipId
		});
		expect(partnershipRow(partnershipId)).toMatchObject({
			status: 'proposed',
			need_id: needId,
			offer_id: offerId
		});
		const parties = partnershipState(partnershipId).parties;
		expect(parties).toHaveLength(2);
		expect(parties).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ organisation_id: cityOrg.id, role: 'beneficiary' }),
				expect.objectContaining({ organisation_id: partnerOrg.id, role: 'lead' })
			])
		);
		const themes = query<{ value: string }>(
			"SELECT value FROM partnership_tag WHERE partnership_id = ? AND vocabulary = 'sdg_target'",
			partnershipId
		).map((row) => row.value);
		expect(themes).toContain('11.5');
		expect(outboxCount(city.email), 'the city is told by email').toBeGreaterThan(before);
		expect(
			notificationsOf(city.userId)
				.map((item) => item.path)
				.join(' ')
		).toContain(partnershipId);

		const page = await html(city.client, `/partnerships/${partnershipId}`);
		expect(page).toContain(escaped(cityOrg.name));
		expect(page).toContain(escaped(partnerOrg.name));
		expect(page).toContain(href(`/needs/${needId}`));
		expect(page).toContain(href(`/offers/${offerId}`));
	});

	it('until both parties consent the partnership is private', async () => {
		for (const { who, client } of outsiders()) {
			expect((await client.get(`/partnerships/${partnershipId}`)).status, who).toBe(404);
			expect(await html(client, '/partnerships'), who).not.toContain(partnershipId);
		}
		const list = await api<{ data: { id: string }[] }>(
			anonymous(),
			'/api/v1/partnerships?limit=100'
		);
		expect(list.data.map((item) => item.id)).not.toContain(partnershipId);
		expect(
			(
				await anonymous().get(`/api/v1/partnerships/${partnershipId}`, {
					accept: 'application/json'
				})
			).status
		).toBe(404);
	});

	it('outsiders cannot change its status, write updates, results, milestones or consent', async () => {
		const before = partnershipState(partnershipId);
		const attempts: [string, Record<string, string>][] = [
			['status', { status: 'agreed' }],
			['status', { status: 'discontinued', reason: 'Taken over by someone else.' }],
			['update', { body: 'An update from someone who is not a party.' }],
			[
				'results',
				{
					'results.0.indicator': 'Fake indicator',
					'results.0.baseline': '0',
					'results.0.result': '100',
					'results.0.unit': 'people'
				}
			],
			['milestones', { 'milestones.0.title': 'Fake milestone', 'milestones.0.dueOn': isoDay(30) }],
			['consent', { organisationId: cityOrg.id, consents: 'yes' }],
			['consent', { organisationId: partnerOrg.id, consents: 'yes' }],
			['caseStudy', {}]
		];
		for (const { who, client } of outsiders()) {
			for (const [action, fields] of attempts) {
				const response = await client.postForm(`/partnerships/${partnershipId}?/${action}`, fields);
				expectRefused(response, who, `?/${action}`);
			}
		}
		// A party may not consent in the other party's name.
		expectRefused(
			await city.client.postForm(`/partnerships/${partnershipId}?/consent`, {
				organisationId: partnerOrg.id,
				consents: 'yes'
			}),
			'the city',
			'consenting for the partner'
		);
		expect(partnershipState(partnershipId)).toEqual(before);
	});

	it('a status that skips a step is refused with a message', async () => {
		const before = partnershipState(partnershipId);
		const response = await city.client.postForm(`/partnerships/${partnershipId}?/status`, {
			status: 'completed'
		});
		expect([400, 409, 422]).toContain(response.status);
		expect(await response.text()).toMatch(/role="alert"/);
		expect(partnershipState(partnershipId)).toEqual(before);
	});

	it('both parties move it through agreed and active, with an update and a result', async () => {
		const agreed = await city.client.postForm(`/partnerships/${partnershipId}?/status`, {
			status: 'agreed'
		});
		expect(agreed.status, await describeFailure(agreed)).toBe(303);
		expect(partnershipRow(partnershipId).status).toBe('agreed');

		const active = await partner.client.postForm(`/partnerships/${partnershipId}?/status`, {
			status: 'active'
		});
		expect(active.status, await describeFailure(active)).toBe(303);
		expect(partnershipRow(partnershipId).status).toBe('active');

		const updateBody = `The first peer visit took place; **12 officers** trained (${tag}).`;
		const update = await city.client.postForm(`/partnerships/${partnershipId}?/update`, {
			body: updateBody
		});
		expect(update.status, await describeFailure(update)).toBe(303);

		const results = await partner.client.postForm(`/partnerships/${partnershipId}?/results`, {
			'results.0.indicator': 'Households reached by flood alerts',
			'results.0.baseline': '0',
			'results.0.result': '18000',
			'results.0.unit': 'households',
			'results.0.year': String(new Date().getUTCFullYear())
		});
		expect(results.status, await describeFailure(results)).toBe(303);
		expect(partnershipState(partnershipId).results).toEqual([
			{
				indicator: 'Households reached by flood alerts',
				baseline: '0',
				result: '18000',
				unit: 'households'
			}
		]);

		const completed = await partner.client.postForm(`/partnerships/${partnershipId}?/status`, {
			status: 'completed'
		});
		expect(completed.status, await describeFailure(completed)).toBe(303);
		expect(partnershipRow(partnershipId).status).toBe('completed');

		const history = query<{ status_from: string | null; status_to: string | null; body: string }>(
			'SELECT status_from, status_to, body FROM partnership_update WHERE partnership_id = ? ORDER BY id',
			partnershipId
		);
		expect(
			history.filter((row) => row.status_from).map((row) => [row.status_from, row.status_to])
		).toEqual([
			['proposed', 'agreed'],
			['agreed', 'active'],
			['active', 'completed']
		]);
		expect(history.map((row) => row.body)).toContain(updateBody);

		const page = await html(partner.client, `/partnerships/${partnershipId}`);
		expect(page).toContain('<strong>12 officers</strong>');
		expect(page).toContain('Households reached by flood alerts');
		expect(page).toContain('18000');
	});

	it('both parties consent, one after the other', async () => {
		const first = await city.client.postForm(`/partnerships/${partnershipId}?/consent`, {
			organisationId: cityOrg.id,
			consents: 'yes'
		});
		expect(first.status, await describeFailure(first)).toBe(303);
		// One consent is not enough.
		expect((await anonymous().get(`/partnerships/${partnershipId}`)).status).toBe(404);

		const second = await partner.client.postForm(`/partnerships/${partnershipId}?/consent`, {
			organisationId: partnerOrg.id,
			consents: 'yes'
		});
		expect(second.status, await describeFailure(second)).toBe(303);
		expect(
			partnershipState(partnershipId).parties.map(
				(party) => (party as { consents_to_publish: number }).consents_to_publish
			)
		).toEqual([1, 1]);
	});

	it('then everybody sees it on /partnerships, its page, the API and both profiles', async () => {
		const visitor = anonymous();
		const page = await html(visitor, `/partnerships/${partnershipId}`);
		expect(page).toContain(escaped(cityOrg.name));
		expect(page).toContain(escaped(partnerOrg.name));
		expect(page).toContain('Households reached by flood alerts');
		expect(page, 'what it came from').toContain(href(`/needs/${needId}`));

		expect(await html(visitor, '/partnerships')).toContain(href(`/partnerships/${partnershipId}`));
		expect(await html(visitor, '/partnerships?status=completed&sdg=11.5')).toContain(
			href(`/partnerships/${partnershipId}`)
		);

		type ApiPartnership = {
			id: string;
			status: string;
			results: { indicator: string; result: string }[];
			statusHistory?: unknown[];
			history?: unknown[];
		};
		const list = await api<{ data: ApiPartnership[]; total: number }>(
			visitor,
			'/api/v1/partnerships?status=completed&limit=100'
		);
		const item = list.data.find((entry) => entry.id === partnershipId);
		expect(item, 'in GET /api/v1/partnerships').toBeDefined();
		expect(item!.status).toBe('completed');
		const detail = await api<ApiPartnership | { data: ApiPartnership }>(
			visitor,
			`/api/v1/partnerships/${partnershipId}`
		);
		const record = 'data' in detail ? detail.data : detail;
		expect(record.results.map((row) => row.indicator)).toEqual([
			'Households reached by flood alerts'
		]);
		expect(JSON.stringify(record.statusHistory ?? record.history ?? record)).toContain('completed');

		for (const slug of [cityOrg.slug, partnerOrg.slug]) {
			expect(await html(visitor, `/organisations/${slug}`), slug).toContain(
				href(`/partnerships/${partnershipId}`)
			);
		}
	});

	it('after completion outsiders still change nothing', async () => {
		const before = partnershipState(partnershipId);
		for (const { who, client } of outsiders()) {
			for (const [action, fields] of [
				['status', { status: 'discontinued', reason: 'Closing it for them.' }],
				['update', { body: 'Defacing a public record.' }],
				['consent', { organisationId: cityOrg.id, consents: 'no' }]
			] as const) {
				expectRefused(
					await client.postForm(`/partnerships/${partnershipId}?/${action}`, fields),
					who,
					`?/${action} on a public record`
				);
			}
		}
		expect(partnershipState(partnershipId)).toEqual(before);
	});

	it('every step left emails in the outbox, which the admin can read', async () => {
		expect(outboxCount(partner.email)).toBeGreaterThanOrEqual(2);
		expect(outboxCount(city.email)).toBeGreaterThanOrEqual(2);
		const aboutThisJourney = query<{ n: number }>(
			`SELECT count(*) AS n FROM email_outbox
			 WHERE to_address = ? AND (body LIKE '%' || ? || '%' OR body LIKE '%' || ? || '%')`,
			outsider.email,
			tag,
			partnershipId
		)[0].n;
		expect(aboutThisJourney, 'nothing about it to the outsider').toBe(0);
		const outbox = await html(admin.client, '/admin/outbox');
		expect(outbox).toContain(escaped(partner.email));
	});
});
