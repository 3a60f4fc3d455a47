import { describe, expect, inject, it, vi } from 'vitest';
import { HttpClient, queryServerDb, uniqueEmail } from '../support/http-client';
import { testAdmin } from '../support/server';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const password = 'a long enough passphrase';

const query = <T>(sql: string, ...params: unknown[]) => queryServerDb<T>(dbPath, sql, ...params);

function userRow(email: string) {
	return query<{ id: string; name: string; email_verified_at: number | null }>(
		'SELECT id, name, email_verified_at FROM user WHERE email = ?',
		email
	)[0];
}

function sessionCount(email: string): number {
	return query<{ n: number }>(
		'SELECT count(*) AS n FROM session JOIN user ON user.id = session.user_id WHERE user.email = ?',
		email
	)[0].n;
}

/** The path and query of the newest emailed link to `path` sent to `to`. */
function emailedLink(to: string, path: string): string {
	const mails = query<{ body: string }>(
		'SELECT body FROM email_outbox WHERE to_address = ? ORDER BY id DESC',
		to
	);
	for (const { body } of mails) {
		const match = body.match(new RegExp(`https?://[^\\s]+${path}\\?token=[a-z0-9]+`));
		if (match) {
			const url = new URL(match[0]);
			return url.pathname + url.search;
		}
	}
	throw new Error(`no ${path} link emailed to ${to}`);
}

async function register(
	client: HttpClient,
	fields: { name: string; email: string; password: string }
) {
	const response = await client.postForm('/register?/register', fields);
	expect(response.status).toBe(303);
	expect(response.headers.get('location')).toBe('/register/check-email');
	return response;
}

async function login(client: HttpClient, email: string, pass = password) {
	const response = await client.postForm('/login?/login', { email, password: pass });
	expect(response.status).toBe(303);
	return response;
}

async function signedUpUser(label = 'user') {
	const client = new HttpClient(baseUrl);
	const email = uniqueEmail(label);
	await register(client, { name: `Test ${label}`, email, password });
	await login(client, email);
	return { client, email };
}

function sessionCookieLine(response: Response): string {
	const line = response.headers.getSetCookie().find((c) => c.startsWith('session='));
	if (!line) throw new Error('no session cookie set');
	return line;
}

describe('register → verify → log in → account → log out', () => {
	it('works end to end with the right cookie flags and server-side logout', async () => {
		const client = new HttpClient(baseUrl);
		const email = uniqueEmail('journey');
		const form = await client.get('/register');
		expect(form.status).toBe(200);
		const html = await form.text();
		expect(html).toContain('autocomplete="name"');
		expect(html).toContain('autocomplete="email"');
		expect(html).toContain('autocomplete="new-password"');

		await register(client, { name: 'Journey Person', email: email.toUpperCase(), password });
		expect(client.cookies.size).toBe(0);
		expect(userRow(email).email_verified_at).toBeNull();

		const check = await client.get('/register/check-email');
		expect(await check.text()).toContain('Check your email');

		const verify = await client.get(emailedLink(email, '/verify-email'));
		expect(verify.status).toBe(200);
		expect(await verify.text()).toContain('your email address is confirmed');
		expect(userRow(email).email_verified_at).not.toBeNull();

		const loggedIn = await login(client, email);
		expect(loggedIn.headers.get('location')).toBe('/account');
		const cookie = sessionCookieLine(loggedIn);
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\//i);
		expect(cookie).not.toMatch(/; Secure/i);
		const token = client.cookies.get('session')!;
		expect(token.length).toBeGreaterThanOrEqual(26);
		expect(query('SELECT id FROM session WHERE id = ?', token)).toHaveLength(0);

		const account = await client.get('/account');
		expect(account.status).toBe(200);
		const accountHtml = await account.text();
		expect(accountHtml).toContain('Journey Person');
		expect(accountHtml).toContain(email);
		expect(accountHtml).toContain('Confirmed on');

		const confirm = await client.get('/logout');
		expect(await confirm.text()).toContain('Do you want to log out');
		const logout = await client.postForm('/logout', {});
		expect(logout.status).toBe(303);
		expect(client.cookies.has('session')).toBe(false);
		expect(sessionCount(email)).toBe(0);

		// Replaying the old cookie: the session is gone on the server.
		const replay = new HttpClient(baseUrl);
		replay.cookies.set('session', token);
		const replayed = await replay.get('/account');
		expect(replayed.status).toBe(303);
		expect(replayed.headers.get('location')).toBe('/login?redirectTo=%2Faccount');
		replay.cookies.set('session', token);
		expect(await (await replay.get('/logout')).text()).toContain('You are not logged in');
	});

	it('gives a new session at every login and never reuses the old one', async () => {
		const { client, email } = await signedUpUser('relogin');
		const first = client.cookies.get('session')!;
		await login(client, email);
		const second = client.cookies.get('session')!;
		expect(second).not.toBe(first);
		expect(sessionCount(email)).toBe(1);
		const old = new HttpClient(baseUrl);
		old.cookies.set('session', first);
		expect((await old.get('/account')).status).toBe(303);
	});

	it('sends signed-in users from /login and /register to /account', async () => {
		const { client } = await signedUpUser('signedin');
		for (const path of ['/login', '/register', '/fr/login']) {
			const response = await client.get(path);
			expect(response.status).toBe(303);
			expect(response.headers.get('location')).toMatch(/^(\/fr)?\/account$/);
		}
	});

	it('follows a same-site redirectTo after login and ignores another origin', async () => {
		const client = new HttpClient(baseUrl);
		const email = uniqueEmail('redirect');
		await register(client, { name: 'Redirect', email, password });
		const page = await client.get('/login?redirectTo=%2Fprivacy');
		expect(await page.text()).toContain('name="redirectTo" value="/privacy"');
		const ok = await client.postForm('/login?/login', { email, password, redirectTo: '/privacy' });
		expect(ok.headers.get('location')).toBe('/privacy');
		for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
			const other = new HttpClient(baseUrl);
			const response = await other.postForm('/login?/login', {
				email,
				password,
				redirectTo: target
			});
			expect(response.headers.get('location')).toBe('/account');
		}
	});
});

describe('no account enumeration', () => {
	it('answers a registration with an existing email like a success and emails the owner', async () => {
		const { email } = await signedUpUser('existing');
		const before = query('SELECT id FROM email_outbox WHERE to_address = ?', email).length;
		await register(new HttpClient(baseUrl), {
			name: 'Impostor',
			email,
			password: 'another long passphrase'
		});
		const mails = query<{ subject: string }>(
			'SELECT subject FROM email_outbox WHERE to_address = ? ORDER BY id',
			email
		);
		expect(mails).toHaveLength(before + 1);
		expect(mails.at(-1)!.subject).toContain('tried to register');
		expect(userRow(email).name).toBe('Test existing');
	});

	it('says the same for a wrong password and an unknown email', async () => {
		const { email } = await signedUpUser('enum');
		const wrong = await new HttpClient(baseUrl).postForm('/login?/login', {
			email,
			password: 'not the password'
		});
		const unknown = await new HttpClient(baseUrl).postForm('/login?/login', {
			email: uniqueEmail('nobody'),
			password: 'not the password'
		});
		expect(wrong.status).toBe(400);
		expect(unknown.status).toBe(400);
		const [a, b] = [await wrong.text(), await unknown.text()];
		expect(a).toContain('Email or password is incorrect.');
		expect(b).toContain('Email or password is incorrect.');
		expect(a).not.toContain('not the password');
	});

	it('says the same for a reset request whether or not the account exists', async () => {
		const { email } = await signedUpUser('resetenum');
		const known = await new HttpClient(baseUrl).postForm('/forgot-password?/request', { email });
		const unknown = await new HttpClient(baseUrl).postForm('/forgot-password?/request', {
			email: uniqueEmail('nobody')
		});
		expect(known.status).toBe(303);
		expect(unknown.headers.get('location')).toBe(known.headers.get('location'));
		const page = await new HttpClient(baseUrl).get(known.headers.get('location')!);
		expect(await page.text()).toContain('If an account exists for that address');
	});
});

describe('password reset', () => {
	it('resets by the emailed link once, ends every session, and refuses reuse', async () => {
		const { client, email } = await signedUpUser('reset');
		const stranger = new HttpClient(baseUrl);
		await stranger.postForm('/forgot-password?/request', { email });
		const link = emailedLink(email, '/reset-password');
		const page = await stranger.get(link);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('autocomplete="new-password"');
		const action = `${link}&/reset`;
		const weak = await stranger.postForm(action, { password: 'password123' });
		expect(weak.status).toBe(400);
		expect(await weak.text()).toContain('most common');
		const done = await stranger.postForm(action, { password: 'my brand new passphrase' });
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/login?reset=1');
		expect(sessionCount(email)).toBe(0);
		expect((await client.get('/account')).status).toBe(303);

		const reused = await stranger.postForm(action, { password: 'yet another passphrase' });
		expect(reused.status).toBe(400);
		expect(await reused.text()).toContain('has already been used or has expired');
		expect(await (await stranger.get(link)).text()).toContain(
			'has already been used or has expired'
		);
		await login(new HttpClient(baseUrl), email, 'my brand new passphrase');
		const old = await new HttpClient(baseUrl).postForm('/login?/login', { email, password });
		expect(old.status).toBe(400);
	});

	it('refuses an unknown token', async () => {
		const client = new HttpClient(baseUrl);
		expect(await (await client.get('/reset-password?token=abc')).text()).toContain('has expired');
		const post = await client.postForm('/reset-password?token=abc&/reset', {
			password: 'my brand new passphrase'
		});
		expect(post.status).toBe(400);
	});
});

describe('account page', () => {
	it('changing the password signs out other sessions but keeps this one', async () => {
		const { client, email } = await signedUpUser('change');
		const other = new HttpClient(baseUrl);
		await login(other, email);
		const wrong = await client.postForm('/account?/changePassword', {
			currentPassword: 'not my password',
			newPassword: 'my brand new passphrase'
		});
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('Your current password is incorrect.');
		const changed = await client.postForm('/account?/changePassword', {
			currentPassword: password,
			newPassword: 'my brand new passphrase'
		});
		expect(changed.status).toBe(303);
		expect(changed.headers.get('location')).toBe('/account?done=password');
		expect((await client.get('/account')).status).toBe(200);
		expect((await other.get('/account')).status).toBe(303);
		expect(sessionCount(email)).toBe(1);
	});

	it('signs out other sessions on request and resends the verification link', async () => {
		const { client, email } = await signedUpUser('others');
		const other = new HttpClient(baseUrl);
		await login(other, email);
		const html = await (await client.get('/account')).text();
		expect(html).toContain('Not confirmed yet');
		const out = await client.postForm('/account?/signOutOthers', {});
		expect(out.status).toBe(303);
		expect((await other.get('/account')).status).toBe(303);
		expect((await client.get('/account')).status).toBe(200);

		const before = query('SELECT id FROM email_outbox WHERE to_address = ?', email).length;
		const resent = await client.postForm('/account?/resendVerification', {});
		expect(resent.headers.get('location')).toBe('/account?done=resent');
		expect(query('SELECT id FROM email_outbox WHERE to_address = ?', email)).toHaveLength(
			before + 1
		);
		await client.get(emailedLink(email, '/verify-email'));
		expect(userRow(email).email_verified_at).not.toBeNull();
	});

	it('sends a signed-out visitor to log in, and refuses actions without a session', async () => {
		const client = new HttpClient(baseUrl);
		const response = await client.postForm('/account?/signOutOthers', {});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
	});
});

describe('bad input', () => {
	it('refuses a form POST from another origin or without Origin, changing nothing', async () => {
		for (const origin of ['https://evil.example', null]) {
			const email = uniqueEmail('csrf');
			const response = await new HttpClient(baseUrl).postForm(
				'/register?/register',
				{ name: 'CSRF', email, password },
				{ origin }
			);
			expect(response.status).toBe(403);
			expect(userRow(email)).toBeUndefined();
		}
		const { client, email } = await signedUpUser('csrf-logout');
		const logout = await client.postForm('/logout', {}, { origin: 'https://evil.example' });
		expect(logout.status).toBe(403);
		expect(sessionCount(email)).toBe(1);
	});

	it('shows field messages, keeps name and email, never echoes the password', async () => {
		const client = new HttpClient(baseUrl);
		const response = await client.postForm('/register?/register', {
			name: 'Kept Name',
			email: 'not-an-email',
			password: 'short7'
		});
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('role="alert"');
		expect(html).toContain('value="Kept Name"');
		expect(html).toContain('value="not-an-email"');
		expect(html).toContain('Enter an email address like name@example.org.');
		expect(html).toContain('Use at least 8 characters.');
		expect(html).toContain('aria-invalid="true"');
		expect(html).not.toContain('short7');
	});

	it('refuses missing fields, over-long fields and wrong types', async () => {
		const client = new HttpClient(baseUrl);
		const missing = await client.postForm('/register?/register', {});
		expect(missing.status).toBe(400);
		const missingHtml = await missing.text();
		expect(missingHtml).toContain('Enter your name.');
		expect(missingHtml).toContain('Enter your email address.');

		const email = uniqueEmail('long');
		const long = await client.postForm('/register?/register', {
			name: 'n'.repeat(101),
			email,
			password: 'p'.repeat(129)
		});
		expect(long.status).toBe(400);
		const longHtml = await long.text();
		expect(longHtml).toContain('Use at most 100 characters for your name.');
		expect(longHtml).toContain('Use at most 128 characters.');
		expect(userRow(email)).toBeUndefined();

		const longEmail = await client.postForm('/login?/login', {
			email: `${'a'.repeat(250)}@example.org`,
			password
		});
		expect(longEmail.status).toBe(400);

		const multipart = new FormData();
		multipart.append('name', new Blob(['file contents']), 'name.txt');
		multipart.append('email', uniqueEmail('file'));
		multipart.append('password', password);
		const file = await client.postForm('/register?/register', multipart);
		expect(file.status).toBe(400);
		expect(await file.text()).toContain('could not be read');

		const json = await client.request('/register?/register', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: baseUrl },
			body: JSON.stringify({ name: 'J', email: uniqueEmail('json'), password })
		});
		expect(json.status).toBe(415);
	});

	it('refuses a 10 MB body with 413', async () => {
		const client = new HttpClient(baseUrl);
		const email = uniqueEmail('huge');
		const response = await client.postForm('/register?/register', {
			name: 'x'.repeat(10 * 1024 * 1024),
			email,
			password
		});
		expect(response.status).toBe(413);
		expect(userRow(email)).toBeUndefined();
	});

	it('renders naughty strings escaped', async () => {
		const client = new HttpClient(baseUrl);
		const email = uniqueEmail('naughty');
		const name = '<script>alert(1)</script> "Robert\'); DROP TABLE user;--';
		await register(client, { name, email, password });
		await login(client, email);
		const html = await (await client.get('/account')).text();
		expect(html).not.toContain('<script>alert(1)</script>');
		expect(html).toContain('&lt;script>alert(1)&lt;/script>');
		expect(userRow(email).name).toBe(name);
	});

	it('answers JavaScript-enhanced submissions with the failure data, without the password', async () => {
		const client = new HttpClient(baseUrl);
		const response = await client.postForm(
			'/login?/login',
			{ email: 'bad', password: 'secret-typed-value' },
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		const body = await response.json();
		expect(body.type).toBe('failure');
		expect(body.status).toBe(400);
		expect(body.data).toContain('bad');
		expect(body.data).not.toContain('secret-typed-value');
	});
});

describe('rate limits', () => {
	it('answers 429 with Retry-After after 5 failed logins to one account', async () => {
		const { email } = await signedUpUser('ratelimit');
		for (let i = 0; i < 5; i += 1) {
			const response = await new HttpClient(baseUrl).postForm('/login?/login', {
				email,
				password: 'wrong password'
			});
			expect(response.status).toBe(400);
		}
		const limited = await new HttpClient(baseUrl).postForm('/login?/login', { email, password });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		const html = await limited.text();
		expect(html).toContain('Too many attempts');
		expect(html).toContain(`value="${email}"`);
	});

	it('answers 429 after 5 registrations from one address', async () => {
		const client = new HttpClient(baseUrl);
		for (let i = 0; i < 5; i += 1) {
			await register(client, { name: 'Many', email: uniqueEmail('many'), password });
		}
		const email = uniqueEmail('many');
		const limited = await client.postForm('/register?/register', { name: 'Many', email, password });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(userRow(email)).toBeUndefined();
	});

	it('answers 429 after 3 reset requests for one email', async () => {
		const email = uniqueEmail('resetlimit');
		for (let i = 0; i < 3; i += 1) {
			expect(
				(await new HttpClient(baseUrl).postForm('/forgot-password?/request', { email })).status
			).toBe(303);
		}
		const limited = await new HttpClient(baseUrl).postForm('/forgot-password?/request', { email });
		expect(limited.status).toBe(429);
	});
});

describe('admin outbox', () => {
	it('is for admins only and shows emailed links clickable, newest first', async () => {
		const anonymous = await new HttpClient(baseUrl).get('/admin/outbox');
		expect(anonymous.status).toBe(303);
		const { client: member } = await signedUpUser('member');
		expect((await member.get('/admin/outbox')).status).toBe(403);

		const admin = new HttpClient(baseUrl);
		await login(admin, testAdmin.email, testAdmin.password);
		const response = await admin.get('/admin/outbox');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('Email outbox');
		expect(html).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/verify-email\?token=[a-z0-9]+"/);
		expect((await admin.get('/admin/outbox?page=2')).status).toBe(200);
		// Without SMTP the worker prints each message and marks it sent within a few seconds.
		await vi.waitFor(
			() => {
				const [{ n }] = query<{ n: number }>(
					'SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL'
				);
				expect(n).toBe(0);
			},
			{ timeout: 15_000, interval: 500 }
		);
		expect((await admin.get('/admin/outbox?page=abc')).status).toBe(200);
	});
});

describe('French', () => {
	it('serves the account pages and their messages in French', async () => {
		const client = new HttpClient(baseUrl);
		const page = await client.get('/fr/register');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Créer un compte');
		const failed = await client.postForm('/fr/register?/register', {
			name: '',
			email: 'x',
			password: 'a'
		});
		expect(failed.status).toBe(400);
		const html = await failed.text();
		expect(html).toContain('Saisissez votre nom.');
		expect(html).toContain('Utilisez au moins 8 caractères.');
		const ok = await client.postForm('/fr/register?/register', {
			name: 'Amélie',
			email: uniqueEmail('fr'),
			password
		});
		expect(ok.headers.get('location')).toBe('/fr/register/check-email');
	});
});
