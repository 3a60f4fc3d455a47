import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '$lib/server/db';
import { hashToken } from '$lib/server/ids';
import { newOrganisation, signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

let owner: SignedIn;
let editor: SignedIn;
let outsider: SignedIn;
let otherOwner: SignedIn;
let organisation: { id: string; slug: string; name: string };
let otherOrganisation: { id: string; slug: string; name: string };
let page = '';

const tokenPattern = /cbt_[a-z2-7]{32}/g;

function addEditor(organisationId: string, userId: string) {
	const db = openDatabase(dbPath);
	try {
		db.$client
			.prepare("INSERT INTO membership (organisation_id, user_id, role) VALUES (?, ?, 'editor')")
			.run(organisationId, userId);
	} finally {
		db.$client.close();
	}
}

type TokenRow = {
	id: string;
	name: string;
	prefix: string;
	token_hash: string;
	revoked_at: number | null;
};
const tokensOf = (organisationId: string) =>
	queryServerDb<TokenRow>(
		dbPath,
		'SELECT id, name, prefix, token_hash, revoked_at FROM api_token WHERE organisation_id = ? ORDER BY created_at',
		organisationId
	);

const issuedCookie = 'issued-api-token';
const issuedSetCookie = (response: Response) =>
	response.headers.getSetCookie().find((line) => line.startsWith(`${issuedCookie}=`));
/** A flash cookie as a browser would send it, naming any token id and plaintext. */
const forgeIssued = (client: HttpClient, id: string, token: string) =>
	client.cookies.set(issuedCookie, encodeURIComponent(JSON.stringify({ id, token })));

/**
 * Creates a token through the page as a browser without JavaScript does: the form post redirects
 * and the page it redirects to shows the token. Returns the token, that page and the post's answer.
 */
async function createToken(client: HttpClient, path: string, name: string) {
	const posted = await client.postForm(`${path}?/create`, { intent: 'create', name });
	expect(posted.status).toBe(303);
	expect(posted.headers.get('location')).toBe(`${path}?done=created`);
	const response = await client.get(posted.headers.get('location')!);
	expect(response.status).toBe(200);
	const html = await response.text();
	const shown = [...new Set(html.match(tokenPattern))];
	expect(shown).toHaveLength(1);
	return { token: shown[0], html, posted };
}

const apiGet = (token: string) =>
	new HttpClient(baseUrl).get('/api/v1/needs', {
		accept: 'application/json',
		authorization: `Bearer ${token}`
	});

beforeAll(async () => {
	[owner, editor, outsider, otherOwner] = await Promise.all([
		signedIn(baseUrl, dbPath, 'tokens-owner'),
		signedIn(baseUrl, dbPath, 'tokens-editor'),
		signedIn(baseUrl, dbPath, 'tokens-outsider'),
		signedIn(baseUrl, dbPath, 'tokens-other-owner')
	]);
	organisation = await newOrganisation(owner, dbPath, { name: `Token City ${Date.now()}` });
	otherOrganisation = await newOrganisation(otherOwner, dbPath);
	addEditor(organisation.id, editor.userId);
	page = `/organisations/${organisation.slug}/api-tokens`;
});

describe('who may open the API tokens page', () => {
	it('sends a signed-out visitor to the login page and back', async () => {
		const response = await new HttpClient(baseUrl).get(page);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(page)}`);
	});

	it('refuses editors and outsiders with 403, and their form posts too', async () => {
		for (const client of [editor.client, outsider.client]) {
			expect((await client.get(page)).status).toBe(403);
			const post = await client.postForm(`${page}?/create`, { intent: 'create', name: 'Mine' });
			expect(post.status).toBe(403);
			expect(await post.text()).not.toMatch(tokenPattern);
			expect(issuedSetCookie(post)).toBeUndefined();
		}
		expect(tokensOf(organisation.id)).toHaveLength(0);
	});

	it('shows owners the page, explains what a token may do, and links it from the profile', async () => {
		const response = await owner.client.get(page);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const html = await response.text();
		expect(html).toContain(`<h1>API tokens for ${organisation.name}</h1>`);
		expect(html).toContain('with the rights of an editor');
		expect(html).toContain('There are no tokens yet.');
		const profile = `/organisations/${organisation.slug}`;
		expect(await (await owner.client.get(profile)).text()).toContain(`href="${page}"`);
		expect(await (await editor.client.get(profile)).text()).not.toContain(`href="${page}"`);
		expect((await owner.client.get(`/fr${page}`)).status).toBe(200);
	});
});

describe('creating a token', () => {
	it('shows the new token once, with copy instructions and a curl example; only its hash is kept', async () => {
		const { token, html, posted } = await createToken(owner.client, page, 'Open data portal sync');
		expect(html).toContain('Copy this token now');
		expect(html).toContain(`Authorization: Bearer ${token}`);
		expect(html).toContain(`${baseUrl}/api/v1/needs`);
		const [row] = tokensOf(organisation.id);
		expect(row).toMatchObject({ name: 'Open data portal sync', token_hash: hashToken(token) });
		expect(token.startsWith(row.prefix)).toBe(true);

		// The form's answer is a redirect that carries no token, so reloading it resends nothing.
		expect(await posted.text()).not.toMatch(tokenPattern);
		expect(tokensOf(organisation.id)).toHaveLength(1);

		const again = await (await owner.client.get(page)).text();
		expect(again).not.toContain(token);
		expect(again).toContain(`${row.prefix}…`);
		expect(again).toContain('Open data portal sync');
		expect((await apiGet(token)).status).toBe(200);
	});

	it('hands the token over in a short-lived, page-scoped cookie that the first load deletes', async () => {
		const before = tokensOf(organisation.id).length;
		const posted = await owner.client.postForm(`${page}?/create`, {
			intent: 'create',
			name: 'Reloaded answer'
		});
		expect(posted.status).toBe(303);
		const setCookie = issuedSetCookie(posted)!;
		expect(setCookie).toBeDefined();
		expect(setCookie).toMatch(/; HttpOnly/i);
		expect(setCookie).toMatch(/; SameSite=Strict/i);
		expect(setCookie).toContain(`; Path=${page}`);
		expect(setCookie).toMatch(/; Max-Age=300/i);

		const shown = await owner.client.get(`${page}?done=created`);
		expect(shown.headers.get('cache-control')).toBe('no-store');
		expect(issuedSetCookie(shown)).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		const token = (await shown.text()).match(tokenPattern)![0];
		expect((await apiGet(token)).status).toBe(200);

		// Reloading the page it redirected to shows the list without the token, and issues nothing.
		const reloaded = await owner.client.get(`${page}?done=created`);
		expect(reloaded.status).toBe(200);
		const html = await reloaded.text();
		expect(html).not.toMatch(tokenPattern);
		expect(html).toContain('Reloaded answer');
		const rows = tokensOf(organisation.id);
		expect(rows).toHaveLength(before + 1);
		expect(rows.filter((row) => row.name === 'Reloaded answer')).toHaveLength(1);
		expect(rows.find((row) => row.name === 'Reloaded answer')!.token_hash).toBe(hashToken(token));
	});

	it('scopes the cookie to the French page and redirects there', async () => {
		const posted = await owner.client.postForm(`/fr${page}?/create`, {
			intent: 'create',
			name: 'Jeton français'
		});
		expect(posted.status).toBe(303);
		expect(posted.headers.get('location')).toBe(`/fr${page}?done=created`);
		expect(issuedSetCookie(posted)).toContain(`; Path=/fr${page}`);
		const html = await (await owner.client.get(`/fr${page}?done=created`)).text();
		expect(html).toMatch(tokenPattern);
	});

	it('with JavaScript, the action redirects and the page data then carries the token, once', async () => {
		const response = await owner.client.postForm(
			`${page}?/create`,
			{ intent: 'create', name: 'Enhanced form' },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		expect(response.status).toBe(200);
		const body = (await response.json()) as { type: string; status: number; location: string };
		expect(body).toEqual({ type: 'redirect', status: 303, location: `${page}?done=created` });
		expect(JSON.stringify(body)).not.toMatch(tokenPattern);
		expect(issuedSetCookie(response)).toBeDefined();

		const data = await owner.client.get(`${page}/__data.json`);
		expect(data.status).toBe(200);
		const token = (await data.text()).match(tokenPattern)![0];
		expect(tokensOf(organisation.id).find((row) => row.name === 'Enhanced form')).toMatchObject({
			token_hash: hashToken(token)
		});
		const again = await owner.client.get(`${page}/__data.json`);
		expect(await again.text()).not.toMatch(tokenPattern);
	});

	it("shows nothing for a forged cookie naming another organisation's token, a revoked one, or junk", async () => {
		const { token: theirToken } = await createToken(
			otherOwner.client,
			`/organisations/${otherOrganisation.slug}/api-tokens`,
			'Their flash'
		);
		const theirs = tokensOf(otherOrganisation.id).find((row) => row.name === 'Their flash')!;
		const { token: revokedToken } = await createToken(owner.client, page, 'Revoked flash');
		const revoked = tokensOf(organisation.id).find((row) => row.name === 'Revoked flash')!;
		const revokedPost = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: revoked.id,
			confirm: 'yes'
		});
		expect(revokedPost.status).toBe(303);
		const [mine] = tokensOf(organisation.id).filter((row) => row.revoked_at === null);

		const forgeries: [string, string][] = [
			[theirs.id, theirToken],
			[revoked.id, revokedToken],
			// One of this organisation's active tokens, with a plaintext that is not its own.
			[mine.id, 'cbt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
			['no-such-token', theirToken]
		];
		for (const [id, token] of forgeries) {
			forgeIssued(owner.client, id, token);
			const response = await owner.client.get(`${page}?done=created`);
			expect(response.status, id).toBe(200);
			const html = await response.text();
			expect(html, id).not.toMatch(tokenPattern);
			expect(html, id).not.toContain('Copy this token now');
			expect(owner.client.cookies.has(issuedCookie), id).toBe(false);
		}
		for (const junk of ['not json', '%7B%22id%22%3A1%7D', '%5B%5D']) {
			owner.client.cookies.set(issuedCookie, junk);
			const response = await owner.client.get(page);
			expect(response.status, junk).toBe(200);
			expect(await response.text(), junk).not.toContain('Copy this token now');
			expect(owner.client.cookies.has(issuedCookie), junk).toBe(false);
		}
		expect((await apiGet(theirToken)).status).toBe(200);
	});

	it('explains an empty or oversize name and a past or malformed expiry, keeping what was typed', async () => {
		const cases: [Record<string, string>, string, string][] = [
			[{ name: '' }, 'name', 'Give the token a name.'],
			[{ name: '   ' }, 'name', 'Give the token a name.'],
			[{ name: 'n'.repeat(81) }, 'name', 'The name can be at most 80 characters.'],
			[
				{ name: 'Kept name', expiresOn: '2020-01-01' },
				'expiresOn',
				'The expiry date must be after today.'
			],
			[
				{ name: 'Kept name', expiresOn: '31/12/2027' },
				'expiresOn',
				'Enter the expiry date as a calendar date'
			],
			[
				{ name: 'Kept name', expiresOn: '2099-01-01' },
				'expiresOn',
				'The expiry date can be at most 2 years ahead.'
			]
		];
		const before = tokensOf(organisation.id).length;
		for (const [fields, field, message] of cases) {
			const response = await owner.client.postForm(`${page}?/create`, {
				intent: 'create',
				...fields
			});
			expect(response.status, JSON.stringify(fields)).toBe(400);
			const html = await response.text();
			expect(html).toContain('role="alert"');
			expect(html).toContain(message);
			expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
			expect(html).not.toMatch(tokenPattern);
			expect(issuedSetCookie(response)).toBeUndefined();
			if (fields.name === 'Kept name') expect(html).toContain('value="Kept name"');
		}
		expect(tokensOf(organisation.id)).toHaveLength(before);
	});

	it('stores naughty names as typed and shows them escaped', async () => {
		const names = [
			'<script>alert(1)</script>',
			"Robert'); DROP TABLE api_token;--",
			'ثبت توکن 🔑 ',
			'${7*7} {{7*7}} %s%n'
		];
		for (const name of names) {
			const { html } = await createToken(owner.client, page, name);
			expect(html).not.toContain('<script>alert(1)</script>');
		}
		const stored = tokensOf(organisation.id).map((row) => row.name);
		expect(stored).toEqual(expect.arrayContaining(names.map((name) => name.trim())));
		const listing = await (await owner.client.get(page)).text();
		expect(listing).toContain('&lt;script>alert(1)&lt;/script>');
	});
});

describe('revoking a token', () => {
	it('asks for confirmation, then revokes; the token stops working at once', async () => {
		const { token } = await createToken(owner.client, page, 'To be revoked');
		const row = tokensOf(organisation.id).find((r) => r.name === 'To be revoked')!;

		const unconfirmed = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: row.id
		});
		expect(unconfirmed.status).toBe(400);
		const html = await unconfirmed.text();
		expect(html).toContain('Tick the box to confirm that you want to revoke this token.');
		expect(html).toMatch(new RegExp(`id="confirm-revoke-${row.id}"[^>]*aria-invalid="true"`));
		expect((await apiGet(token)).status).toBe(200);

		const confirmed = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: row.id,
			confirm: 'yes'
		});
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get('location')).toBe(`${page}?done=revoked`);
		const after = await (await owner.client.get(`${page}?done=revoked`)).text();
		expect(after).toContain('The token was revoked.');
		expect(after).toMatch(/Revoked on [^<]+ by Test tokens-owner/);
		expect(tokensOf(organisation.id).find((r) => r.id === row.id)!.revoked_at).not.toBeNull();

		const refused = await apiGet(token);
		expect(refused.status).toBe(401);
		expect(refused.headers.get('content-type')).toContain('application/problem+json');

		// Revoking again changes nothing and is not an error.
		const again = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: row.id,
			confirm: 'yes'
		});
		expect(again.status).toBe(303);
	});

	it("refuses someone else's token id, a missing id, and editors", async () => {
		const { token } = await createToken(
			otherOwner.client,
			`/organisations/${otherOrganisation.slug}/api-tokens`,
			'Theirs'
		);
		const theirs = tokensOf(otherOrganisation.id).find((row) => row.name === 'Theirs')!;
		const response = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: theirs.id,
			confirm: 'yes'
		});
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('This organisation has no such token.');

		const missing = await owner.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			confirm: 'yes'
		});
		expect(missing.status).toBe(400);

		const [mine] = tokensOf(organisation.id).filter((row) => row.revoked_at === null);
		const byEditor = await editor.client.postForm(`${page}?/revoke`, {
			intent: 'revoke',
			id: mine.id,
			confirm: 'yes'
		});
		expect(byEditor.status).toBe(403);
		expect(tokensOf(organisation.id).find((row) => row.id === mine.id)!.revoked_at).toBeNull();
		expect(tokensOf(otherOrganisation.id).every((row) => row.revoked_at === null)).toBe(true);
		expect((await apiGet(token)).status).toBe(200);
	});
});
