import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HttpClient, queryServerDb, uniqueEmail } from '../support/http-client';
import { testAdmin } from '../support/server';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const password = 'a long enough passphrase';
const nairobi = '184745';
const mombasa = '186301';
const paris = '2988507';

const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

const organisationRow = (slug: string) =>
	query<{ id: string; name: string; description: string; verification_state: string }>(
		'SELECT id, name, description, verification_state FROM organisation WHERE slug = ?',
		slug
	)[0];

async function signedIn(label: string, email = uniqueEmail(label), pass = password) {
	const client = new HttpClient(baseUrl);
	if (email !== testAdmin.email) {
		const registered = await client.postForm('/register?/register', {
			name: `Test ${label}`,
			email,
			password: pass
		});
		expect(registered.status).toBe(303);
	}
	const login = await client.postForm('/login?/login', { email, password: pass });
	expect(login.status).toBe(303);
	return { client, email };
}

let counter = 0;
function organisationFields(overrides: Record<string, string | string[]> = {}) {
	counter += 1;
	return {
		name: `Test City Office ${counter} ${Date.now()}`,
		kind: 'city',
		country: 'KE',
		city: nairobi,
		website: 'https://nairobi.go.ke',
		description: 'We run the city.',
		languages: ['en', 'sw'],
		...overrides
	};
}

async function createOrganisation(
	client: HttpClient,
	overrides: Record<string, string | string[]> = {}
) {
	const response = await client.postForm(
		'/organisations/new?/create',
		organisationFields(overrides)
	);
	expect(response.status).toBe(303);
	const location = response.headers.get('location')!;
	expect(location).toMatch(/^\/organisations\/[a-z0-9-]+$/);
	return location.split('/').pop()!;
}

/** The newest emailed invitation link sent to `to`. */
function invitationLink(to: string): string {
	const mails = query<{ body: string }>(
		'SELECT body FROM email_outbox WHERE to_address = ? ORDER BY id DESC',
		to
	);
	for (const { body } of mails) {
		const match = body.match(/https?:\/\/[^\s]+\/invitations\/[a-z0-9]+/);
		if (match) return new URL(match[0]).pathname;
	}
	throw new Error(`no invitation emailed to ${to}`);
}

let owner: { client: HttpClient; email: string };
let stranger: { client: HttpClient; email: string };

beforeAll(async () => {
	owner = await signedIn('owner');
	stranger = await signedIn('stranger');
});

describe('the verification journey', () => {
	it('create → request verification → the admin approves → badge on the profile and verified in the API', async () => {
		const slug = await createOrganisation(owner.client);
		const profile = await owner.client.get(`/organisations/${slug}`);
		expect(profile.status).toBe(200);
		const html = await profile.text();
		expect(html).toContain('Nairobi');
		expect(html).toContain('rel="nofollow ugc noopener"');
		expect(html).not.toContain(owner.email);

		const requested = await owner.client.postForm(`/organisations/${slug}/verification?/request`, {
			officialEmail: 'ict@nairobi.go.ke',
			evidenceUrl: 'https://nairobi.go.ke/about',
			note: 'Our ICT office.'
		});
		expect(requested.status).toBe(303);
		expect(organisationRow(slug).verification_state).toBe('pending');

		const again = await owner.client.postForm(`/organisations/${slug}/verification?/request`, {
			evidenceUrl: 'https://nairobi.go.ke/about'
		});
		expect(again.status).toBe(409);

		const admin = await signedIn('admin', testAdmin.email, testAdmin.password);
		const queue = await admin.client.get('/moderation');
		expect(queue.status).toBe(200);
		const queueHtml = await queue.text();
		expect(queueHtml).toContain('ict@nairobi.go.ke');
		const requestId = query<{ id: string }>(
			"SELECT id FROM verification_request WHERE organisation_id = ? AND status = 'pending'",
			organisationRow(slug).id
		)[0].id;
		expect(queueHtml).toContain(requestId);

		const rejectWithoutReason = await admin.client.postForm('/moderation?/decide', {
			requestId,
			decision: 'reject',
			reason: ''
		});
		expect(rejectWithoutReason.status).toBe(400);
		expect(await rejectWithoutReason.text()).toContain('Give a reason');
		expect(organisationRow(slug).verification_state).toBe('pending');

		const approved = await admin.client.postForm('/moderation?/decide', {
			requestId,
			decision: 'approve',
			reason: 'Domain checked.'
		});
		expect(approved.status).toBe(303);
		expect(organisationRow(slug).verification_state).toBe('verified');

		const badge = await (await new HttpClient(baseUrl).get(`/organisations/${slug}`)).text();
		expect(badge).toMatch(/class="badge verified/);
		const api = await new HttpClient(baseUrl).get(`/api/v1/organisations/${slug}`, {
			accept: 'application/json'
		});
		expect(api.status).toBe(200);
		const body = await api.json();
		expect(body).toMatchObject({
			slug,
			kind: 'city',
			country: 'KE',
			region: '002',
			verified: true
		});
		expect(body.url).toBe(`${baseUrl}/organisations/${slug}`);
		expect(body.city).toMatchObject({ id: Number(nairobi), name: 'Nairobi' });

		const audit = query<{ action: string; actor_id: string }>(
			"SELECT action, actor_id FROM audit_log WHERE subject_id = ? AND action LIKE 'verification.%' ORDER BY id",
			organisationRow(slug).id
		);
		expect(audit.map((a) => a.action)).toEqual(['verification.requested', 'verification.approved']);
		const mails = query<{ subject: string }>(
			'SELECT subject FROM email_outbox WHERE to_address = ? ORDER BY id DESC',
			owner.email
		);
		expect(mails[0].subject).toContain('verified');

		const auditPage = await (await admin.client.get('/moderation')).text();
		expect(auditPage).toContain('verification.approved');
	});

	it('refuses the moderation queue and decisions to someone who is not a moderator', async () => {
		expect((await stranger.client.get('/moderation')).status).toBe(403);
		const slug = await createOrganisation(owner.client);
		await owner.client.postForm(`/organisations/${slug}/verification?/request`, {
			evidenceUrl: 'https://nairobi.go.ke/about'
		});
		const requestId = query<{ id: string }>(
			"SELECT id FROM verification_request WHERE organisation_id = ? AND status = 'pending'",
			organisationRow(slug).id
		)[0].id;
		const decided = await owner.client.postForm('/moderation?/decide', {
			requestId,
			decision: 'approve',
			reason: ''
		});
		expect(decided.status).toBe(403);
		expect(organisationRow(slug).verification_state).toBe('pending');
		const signedOut = await new HttpClient(baseUrl).get('/moderation');
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
	});
});

describe("someone else's organisation", () => {
	it('refuses edit, members and verification to a non-member (403) and changes nothing', async () => {
		const slug = await createOrganisation(owner.client);
		const before = organisationRow(slug);
		for (const page of ['edit', 'members', 'verification']) {
			expect((await stranger.client.get(`/organisations/${slug}/${page}`)).status).toBe(403);
		}
		const posts: [string, Record<string, string | string[]>][] = [
			['edit?/save', organisationFields({ name: 'Hijacked' })],
			['members?/invite', { email: stranger.email, role: 'owner' }],
			['members?/leave', { confirm: 'yes' }],
			['verification?/request', { evidenceUrl: 'https://example.org/x' }]
		];
		for (const [path, fields] of posts) {
			const response = await stranger.client.postForm(`/organisations/${slug}/${path}`, fields);
			expect(response.status, path).toBe(403);
		}
		expect(organisationRow(slug)).toEqual(before);
		expect(query('SELECT 1 FROM invitation WHERE organisation_id = ?', before.id)).toHaveLength(0);
	});

	it('answers 404 for an unknown organisation, page and API', async () => {
		expect((await owner.client.get('/organisations/no-such-organisation-here')).status).toBe(404);
		expect((await owner.client.get('/organisations/no-such-organisation-here/edit')).status).toBe(
			404
		);
		const api = await owner.client.get('/api/v1/organisations/no-such-organisation-here');
		expect(api.status).toBe(404);
		expect(api.headers.get('content-type')).toContain('application/problem+json');
	});

	it('sends a signed-out visitor to the login page', async () => {
		const response = await new HttpClient(baseUrl).get('/organisations/new');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/login?redirectTo=%2Forganisations%2Fnew');
	});
});

describe('the organisation form', () => {
	async function failing(fields: Record<string, string | string[]>, status = 400) {
		const response = await owner.client.postForm('/organisations/new?/create', fields);
		expect(response.status).toBe(status);
		return response.text();
	}

	it('explains every missing field and keeps what was typed', async () => {
		const html = await failing({
			name: '',
			kind: '',
			country: '',
			website: 'https://kept.example.org'
		});
		expect(html).toContain('role="alert"');
		expect(html).toContain('Enter the organisation');
		expect(html).toContain('Choose the kind of organisation');
		expect(html).toContain('Choose a country');
		expect(html).toContain('value="https://kept.example.org"');
		expect(html).toContain('aria-invalid="true"');
	});

	it('refuses a wrong kind, unknown country or city, a city in another country, a javascript: URL and an oversize description', async () => {
		expect(await failing(organisationFields({ kind: 'cult' }))).toContain('Choose the kind');
		expect(await failing(organisationFields({ kind: 'ngo', country: 'ZZ', city: '' }))).toContain(
			'This country is not in our list'
		);
		expect(await failing(organisationFields({ city: '999999999' }))).toContain(
			'This city is not in the gazetteer'
		);
		expect(await failing(organisationFields({ city: paris }))).toContain(
			'This city is not in the chosen country'
		);
		expect(await failing(organisationFields({ city: '' }))).toContain(
			'A city organisation needs its city'
		);
		expect(await failing(organisationFields({ website: 'javascript:alert(1)' }))).toContain(
			'Enter a full web address'
		);
		const long = await failing(organisationFields({ description: 'x'.repeat(2001) }));
		expect(long).toContain('at most 2000 characters');
		expect(await failing(organisationFields({ languages: ['xx'] }))).toContain('Choose languages');
	});

	it('renders naughty strings escaped', async () => {
		const naughty = '<script>alert("x")</script> & "quotes" \u202Eevil';
		const slug = await createOrganisation(owner.client, {
			name: `${naughty} ${Date.now()}`,
			kind: 'ngo',
			city: '',
			description: '<img src=x onerror=alert(1)>\n{{7*7}} ${7*7}'
		});
		const html = await (await new HttpClient(baseUrl).get(`/organisations/${slug}`)).text();
		expect(html).not.toContain('<script>alert("x")</script>');
		expect(html).not.toContain('<img src=x');
		expect(html).toContain('&lt;script>alert');
		expect(html).toContain('&lt;img src=x onerror=alert(1)>');
		expect(slug).toMatch(/^script-alert-x-script-quotes-evil/);
	});

	it('refuses a 10 MB body with 413 and creates nothing', async () => {
		const before = query<{ n: number }>('SELECT count(*) AS n FROM organisation')[0].n;
		const response = await owner.client.postForm(
			'/organisations/new?/create',
			organisationFields({ description: 'x'.repeat(10 * 1024 * 1024) })
		);
		expect(response.status).toBe(413);
		expect(query<{ n: number }>('SELECT count(*) AS n FROM organisation')[0].n).toBe(before);
	});

	it('finds cities without JavaScript and keeps the other fields', async () => {
		const params = new URLSearchParams({
			name: 'Kept name',
			kind: 'city',
			country: 'KE',
			cityQuery: 'momb',
			description: 'Kept description',
			step: 'find-city'
		});
		params.append('languages', 'sw');
		const response = await owner.client.get(`/organisations/new?${params}`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain(`value="${mombasa}"`);
		expect(html).toMatch(/type="radio"/);
		expect(html).toContain('value="Kept name"');
		expect(html).toContain('Kept description');
		expect(html).toMatch(/value="sw"[^>]*checked|checked[^>]*value="sw"/);
	});

	it('lets a member edit, keeping the slug', async () => {
		const slug = await createOrganisation(owner.client);
		const edit = await owner.client.get(`/organisations/${slug}/edit`);
		expect(edit.status).toBe(200);
		const saved = await owner.client.postForm(
			`/organisations/${slug}/edit?/save`,
			organisationFields({ name: 'Renamed office', city: mombasa })
		);
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe(`/organisations/${slug}`);
		expect(organisationRow(slug).name).toBe('Renamed office');
		const bad = await owner.client.postForm(
			`/organisations/${slug}/edit?/save`,
			organisationFields({ city: paris })
		);
		expect(bad.status).toBe(400);
		expect(organisationRow(slug).name).toBe('Renamed office');
	});
});

describe('members', () => {
	it('invite → accept → editor; the last owner cannot leave; confirmations are required', async () => {
		const slug = await createOrganisation(owner.client, { kind: 'ngo', city: '' });
		const orgId = organisationRow(slug).id;
		const editor = await signedIn('editor');

		const badInvite = await owner.client.postForm(`/organisations/${slug}/members?/invite`, {
			intent: 'invite',
			email: 'not-an-email',
			role: 'editor'
		});
		expect(badInvite.status).toBe(400);
		expect(await badInvite.text()).toContain('value="not-an-email"');

		const invited = await owner.client.postForm(`/organisations/${slug}/members?/invite`, {
			intent: 'invite',
			email: editor.email,
			role: 'editor'
		});
		expect(invited.status).toBe(303);
		const link = invitationLink(editor.email);

		const wrongAccount = await stranger.client.postForm(`${link}?/accept`, {});
		expect(wrongAccount.status).toBe(403);
		const accepted = await editor.client.postForm(`${link}?/accept`, {});
		expect(accepted.status).toBe(303);
		expect(accepted.headers.get('location')).toBe(`/organisations/${slug}`);
		const reused = await editor.client.postForm(`${link}?/accept`, {});
		expect(reused.status).toBe(410);

		const members = await editor.client.get(`/organisations/${slug}/members`);
		expect(members.status).toBe(200);
		expect(await members.text()).toContain(owner.email);
		// An editor may not manage members.
		const editorRemoves = await editor.client.postForm(`/organisations/${slug}/members?/remove`, {
			userId: query<{ user_id: string }>(
				"SELECT user_id FROM membership WHERE organisation_id = ? AND role = 'owner'",
				orgId
			)[0].user_id,
			confirm: 'yes'
		});
		expect(editorRemoves.status).toBe(403);

		const unconfirmed = await owner.client.postForm(`/organisations/${slug}/members?/leave`, {
			intent: 'leave'
		});
		expect(unconfirmed.status).toBe(400);
		expect(await unconfirmed.text()).toContain('Tick the box to confirm');
		const lastOwner = await owner.client.postForm(`/organisations/${slug}/members?/leave`, {
			intent: 'leave',
			confirm: 'yes'
		});
		expect(lastOwner.status).toBe(409);
		expect(await lastOwner.text()).toContain('at least one owner');

		const editorId = query<{ user_id: string }>(
			"SELECT user_id FROM membership WHERE organisation_id = ? AND role = 'editor'",
			orgId
		)[0].user_id;
		const transferred = await owner.client.postForm(`/organisations/${slug}/members?/transfer`, {
			intent: 'transfer',
			userId: editorId,
			confirm: 'yes'
		});
		expect(transferred.status).toBe(303);
		const roles = query<{ role: string }>(
			'SELECT role FROM membership WHERE organisation_id = ? ORDER BY role',
			orgId
		).map((r) => r.role);
		expect(roles).toEqual(['editor', 'owner']);
		const left = await owner.client.postForm(`/organisations/${slug}/members?/leave`, {
			intent: 'leave',
			confirm: 'yes'
		});
		expect(left.status).toBe(303);
		expect((await owner.client.get(`/organisations/${slug}/members`)).status).toBe(403);
	});
});

describe('owners managing members', () => {
	it('refuses demoting or removing the last owner, removes with confirmation, revokes invitations', async () => {
		const slug = await createOrganisation(owner.client, { kind: 'ngo', city: '' });
		const orgId = organisationRow(slug).id;
		const ownerId = query<{ user_id: string }>(
			'SELECT user_id FROM membership WHERE organisation_id = ?',
			orgId
		)[0].user_id;
		const members = `/organisations/${slug}/members`;

		const demote = await owner.client.postForm(`${members}?/role`, {
			intent: 'role',
			userId: ownerId,
			role: 'editor'
		});
		expect(demote.status).toBe(409);
		expect(await demote.text()).toContain('at least one owner');
		const removeSelf = await owner.client.postForm(`${members}?/remove`, {
			intent: 'remove',
			userId: ownerId,
			confirm: 'yes'
		});
		expect(removeSelf.status).toBe(409);
		const wrongRole = await owner.client.postForm(`${members}?/role`, {
			intent: 'role',
			userId: ownerId,
			role: 'admin'
		});
		expect(wrongRole.status).toBe(400);
		const unknownMember = await owner.client.postForm(`${members}?/remove`, {
			intent: 'remove',
			userId: 'nobody',
			confirm: 'yes'
		});
		expect(unknownMember.status).toBe(404);

		const editor = await signedIn('removable');
		await owner.client.postForm(`${members}?/invite`, { email: editor.email, role: 'editor' });
		expect(
			(await editor.client.postForm(`${invitationLink(editor.email)}?/accept`, {})).status
		).toBe(303);
		const editorId = query<{ user_id: string }>(
			"SELECT user_id FROM membership WHERE organisation_id = ? AND role = 'editor'",
			orgId
		)[0].user_id;
		const unconfirmed = await owner.client.postForm(`${members}?/remove`, {
			intent: 'remove',
			userId: editorId
		});
		expect(unconfirmed.status).toBe(400);
		const removed = await owner.client.postForm(`${members}?/remove`, {
			intent: 'remove',
			userId: editorId,
			confirm: 'yes'
		});
		expect(removed.status).toBe(303);
		expect(query('SELECT 1 FROM membership WHERE organisation_id = ?', orgId)).toHaveLength(1);

		await owner.client.postForm(`${members}?/invite`, {
			email: 'later@example.org',
			role: 'owner'
		});
		const invitationId = query<{ id: string }>(
			'SELECT id FROM invitation WHERE organisation_id = ? AND email = ?',
			orgId,
			'later@example.org'
		)[0].id;
		expect((await owner.client.postForm(`${members}?/revoke`, { invitationId })).status).toBe(303);
		expect((await owner.client.postForm(`${members}?/revoke`, { invitationId })).status).toBe(404);
	});

	it('sends a signed-out invitee to log in first, and back', async () => {
		const response = await new HttpClient(baseUrl).get('/invitations/some-token');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/login?redirectTo=%2Finvitations%2Fsome-token');
		expect((await owner.client.get('/invitations/some-token')).status).toBe(404);
	});
});

describe('directory', () => {
	it('keeps filters in the URL, counts results and suggests removing filters when empty', async () => {
		const all = await (await new HttpClient(baseUrl).get('/organisations')).text();
		expect(all).toMatch(/\d+ organisations?/);
		const empty = await (
			await new HttpClient(baseUrl).get('/organisations?q=zzzz-nothing-matches&kind=academia')
		).text();
		expect(empty).toContain('No organisation matches all these filters');
		expect(empty).toContain('href="/organisations?kind=academia"');
		expect(empty).toContain('value="zzzz-nothing-matches"');
		const junk = await new HttpClient(baseUrl).get('/organisations?kind=cult&page=abc&region=<x>');
		expect(junk.status).toBe(200);
	});
});

describe('API', () => {
	let kind: string;
	beforeAll(async () => {
		// A kind used only here, so totals are known whatever other tests created.
		kind = 'expert_practice';
		for (let i = 0; i < 5; i += 1) {
			await createOrganisation(owner.client, {
				kind,
				country: i < 3 ? 'KE' : 'FR',
				city: '',
				name: `Api Expert ${i} ${Date.now()}`
			});
		}
	});

	it('pages with limit and an opaque cursor until next is null', async () => {
		const client = new HttpClient(baseUrl);
		const seen: string[] = [];
		let path: string | null = `/api/v1/organisations?kind=${kind}&limit=2`;
		let total = 0;
		while (path) {
			const response = await client.get(path, { accept: 'application/json' });
			expect(response.status).toBe(200);
			const body = (await response.json()) as {
				data: { slug: string }[];
				next: string | null;
				total: number;
			};
			total = body.total;
			expect(body.data.length).toBeLessThanOrEqual(2);
			seen.push(...body.data.map((row) => row.slug));
			path = body.next
				? `/api/v1/organisations?kind=${kind}&limit=2&cursor=${encodeURIComponent(body.next)}`
				: null;
		}
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(total);
		expect(total).toBeGreaterThanOrEqual(5);
	});

	it('filters by country, region and income, repeating a name for OR', async () => {
		const client = new HttpClient(baseUrl);
		const get = async (q: string) =>
			(await (await client.get(`/api/v1/organisations?kind=${kind}&${q}`)).json()) as {
				data: { country: string; region: string; incomeGroup: string }[];
				total: number;
			};
		const kenya = await get('country=KE');
		expect(kenya.data.every((row) => row.country === 'KE')).toBe(true);
		const both = await get('country=KE&country=FR');
		expect(both.total).toBeGreaterThan(kenya.total);
		const europe = await get('region=150');
		expect(europe.data.every((row) => row.region === '150')).toBe(true);
		const verified = await get('verified=true');
		expect(verified.total).toBe(0);
		const high = await get('income=H');
		expect(high.data.every((row) => row.incomeGroup === 'H')).toBe(true);
	});

	it('answers CSV with the same rows for ?format=csv and Accept: text/csv', async () => {
		const client = new HttpClient(baseUrl);
		const json = (await (
			await client.get(`/api/v1/organisations?kind=${kind}&limit=3`)
		).json()) as {
			data: { slug: string }[];
		};
		const csv = await client.get(`/api/v1/organisations?kind=${kind}&limit=3&format=csv`);
		expect(csv.headers.get('content-type')).toContain('text/csv');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0]).toBe('slug,name,kind,country,region,incomeGroup,verified,url,cityId,cityName');
		expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(json.data.map((r) => r.slug));
		const negotiated = await client.get(`/api/v1/organisations?kind=${kind}&limit=3`, {
			accept: 'text/csv'
		});
		expect(negotiated.headers.get('content-type')).toContain('text/csv');
	});

	it('answers bad parameters with a 400 problem naming each field', async () => {
		const response = await new HttpClient(baseUrl).get(
			'/api/v1/organisations?limit=500&cursor=garbage!&kind=cult&region=Africa&country=Kenya&income=rich&verified=maybe&format=xml&colour=blue'
		);
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toContain('application/problem+json');
		const body = (await response.json()) as { status: number; errors: { field: string }[] };
		expect(body.status).toBe(400);
		expect(body.errors.map((e) => e.field).sort()).toEqual(
			[
				'colour',
				'country',
				'cursor',
				'format',
				'income',
				'kind',
				'limit',
				'region',
				'verified'
			].sort()
		);
		expect((await new HttpClient(baseUrl).get('/api/v1/organisations?limit=0')).status).toBe(400);
		expect((await new HttpClient(baseUrl).get('/api/v1/organisations?limit=abc')).status).toBe(400);
	});
});

describe('home page', () => {
	it('shows the headline figures and the organisations that joined last', async () => {
		const html = await (await new HttpClient(baseUrl).get('/')).text();
		expect(html).toContain('figures-heading');
		expect(html).toContain('href="/organisations/');
	});
});
