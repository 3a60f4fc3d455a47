import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import * as accounts from '../../src/lib/server/accounts';
import * as passwords from '../../src/lib/server/auth/password';
import * as rateLimit from '../../src/lib/server/auth/rate-limit';
import * as sessions from '../../src/lib/server/auth/session';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import { hashToken } from '../../src/lib/server/ids';
import { freshDb } from '../support/db';

const config = { origin: 'http://localhost:3000', rateLimitScale: 1 };
let ipCounter = 0;
const context = () => ({ ip: `192.0.2.${++ipCounter}`, config });
const goodPassword = 'correct horse battery staple';

function outbox(db: Db) {
	return db.select().from(table.emailOutbox).all();
}

function linkToken(body: string, path: string): string {
	const match = body.match(new RegExp(`${path}\\?token=([a-z0-9]+)`));
	if (!match) throw new Error(`no ${path} link in:\n${body}`);
	return match[1];
}

async function registered(db: Db, email = 'ada@example.org', name = 'Ada Lovelace') {
	const result = await accounts.register(db, { name, email, password: goodPassword }, context());
	expect(result.ok).toBe(true);
	return accounts.findAccountByEmail(db, email)!;
}

describe('validation schemas', () => {
	it('trims and lower-cases emails and enforces the maximum lengths', () => {
		const parsed = accounts.registerSchema.safeParse({
			name: '  Ada  ',
			email: '  Ada@Example.ORG ',
			password: goodPassword
		});
		expect(parsed.success && parsed.data).toEqual({
			name: 'Ada',
			email: 'ada@example.org',
			password: goodPassword
		});
		const long = accounts.registerSchema.safeParse({
			name: 'x'.repeat(101),
			email: `${'a'.repeat(250)}@example.org`,
			password: goodPassword
		});
		expect(long.success).toBe(false);
		const paths = long.error!.issues.map((i) => i.path.join('.'));
		expect(paths).toContain('name');
		expect(paths).toContain('email');
	});

	it('refuses wrong types, missing fields, short, long, common and self-describing passwords', () => {
		expect(accounts.registerSchema.safeParse({}).success).toBe(false);
		expect(accounts.registerSchema.safeParse({ name: 1, email: [], password: {} }).success).toBe(
			false
		);
		const base = { name: 'Ada', email: 'ada@example.org' };
		for (const password of ['short', 'x'.repeat(129), 'password1', 'Ada@Example.org']) {
			const result = accounts.registerSchema.safeParse({ ...base, password });
			expect(result.success, password).toBe(false);
			expect(result.error!.issues[0].path).toEqual(['password']);
		}
		expect(
			accounts.registerSchema.safeParse({ ...base, email: 'not-an-email', password: goodPassword })
				.success
		).toBe(false);
	});
});

describe('createUser and site roles', () => {
	it('creates a user from a password or a precomputed hash, and refuses a taken email', async () => {
		const db = freshDb();
		const hashed = await passwords.hashPassword(goodPassword);
		const a = await accounts.createUser(db, {
			name: 'A',
			email: ' A@Example.org',
			password: goodPassword
		});
		const b = await accounts.createUser(db, {
			name: 'B',
			email: 'b@example.org',
			passwordHash: hashed,
			siteRole: 'moderator',
			emailVerified: true
		});
		expect(a).toMatchObject({ email: 'a@example.org', siteRole: 'member', emailVerifiedAt: null });
		expect(b.siteRole).toBe('moderator');
		expect(b.emailVerifiedAt).toBeInstanceOf(Date);
		const stored = db.select().from(table.user).where(eq(table.user.id, a.id)).get()!;
		expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		await expect(
			accounts.createUser(db, { name: 'A2', email: 'a@example.org', password: goodPassword })
		).rejects.toBeInstanceOf(accounts.EmailTakenError);
	});

	it('sets a site role and refuses an unknown user', async () => {
		const db = freshDb();
		const user = await accounts.createUser(db, {
			name: 'A',
			email: 'a@example.org',
			password: goodPassword
		});
		accounts.setSiteRole(db, user.id, 'admin');
		expect(accounts.getAccount(db, user.id)!.siteRole).toBe('admin');
		expect(accounts.adminCount(db)).toBe(1);
		expect(() => accounts.setSiteRole(db, 'nobody', 'admin')).toThrow(/No user/);
		expect(accounts.getAccount(db, 'nobody')).toBeNull();
	});
});

describe('register', () => {
	it('creates the account and queues a verification link', async () => {
		const db = freshDb();
		const account = await registered(db);
		expect(account.emailVerifiedAt).toBeNull();
		const [mail] = outbox(db);
		expect(mail.toAddress).toBe('ada@example.org');
		const token = linkToken(mail.body, '/verify-email');
		const stored = db.select().from(table.emailToken).all();
		expect(stored).toHaveLength(1);
		expect(stored[0].id).toBe(hashToken(token));
		expect(stored[0].id).not.toContain(token);
	});

	it('answers an existing email like a success and emails the owner instead', async () => {
		const db = freshDb();
		await registered(db);
		const again = await accounts.register(
			db,
			{ name: 'Impostor', email: 'ada@example.org', password: 'another fine passphrase' },
			context()
		);
		expect(again).toEqual({ ok: true });
		expect(db.select().from(table.user).all()).toHaveLength(1);
		const mails = outbox(db);
		expect(mails).toHaveLength(2);
		expect(mails[1].body).toContain('/forgot-password');
		expect(
			accounts.getAccount(db, accounts.findAccountByEmail(db, 'ada@example.org')!.id)!.name
		).toBe('Ada Lovelace');
	});

	it('is limited per IP', async () => {
		const db = freshDb();
		const ctx = context();
		for (let i = 0; i < 5; i += 1) {
			const result = await accounts.register(
				db,
				{ name: 'N', email: `n${i}@example.org`, password: goodPassword },
				ctx
			);
			expect(result.ok).toBe(true);
		}
		const blocked = await accounts.register(
			db,
			{ name: 'N', email: 'n9@example.org', password: goodPassword },
			ctx
		);
		expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect(accounts.findAccountByEmail(db, 'n9@example.org')).toBeNull();
	});
});

describe('verifyEmail and resendVerificationEmail', () => {
	it('confirms once with a live token and refuses reuse, unknown and expired tokens', async () => {
		const db = freshDb();
		const account = await registered(db);
		const token = linkToken(outbox(db)[0].body, '/verify-email');
		expect(accounts.verifyEmail(db, 'unknown')).toEqual({ ok: false });
		const later = new Date(Date.now() + 49 * 60 * 60 * 1000);
		expect(accounts.verifyEmail(db, token, later)).toEqual({ ok: false });
		expect(accounts.verifyEmail(db, token)).toEqual({ ok: true, userId: account.id });
		expect(accounts.getAccount(db, account.id)!.emailVerifiedAt).toBeInstanceOf(Date);
		expect(accounts.verifyEmail(db, token)).toEqual({ ok: false });
	});

	it('never accepts a link of one purpose for the other', async () => {
		const db = freshDb();
		await registered(db);
		const verifyToken = linkToken(outbox(db)[0].body, '/verify-email');
		accounts.requestPasswordReset(db, 'ada@example.org', context());
		const resetToken = linkToken(outbox(db).at(-1)!.body, '/reset-password');
		expect(accounts.isResetTokenValid(db, verifyToken)).toBe(false);
		expect(await accounts.resetPassword(db, verifyToken, 'my new long passphrase')).toEqual({
			ok: false,
			reason: 'invalid_token'
		});
		expect(accounts.verifyEmail(db, resetToken)).toEqual({ ok: false });
		expect(accounts.verifyEmail(db, verifyToken).ok).toBe(true);
		expect(accounts.isResetTokenValid(db, resetToken)).toBe(true);
	});

	it('resends a new link that replaces the old one, limited per user', async () => {
		const db = freshDb();
		const account = await registered(db);
		const first = linkToken(outbox(db)[0].body, '/verify-email');
		expect(accounts.resendVerificationEmail(db, account.id, context())).toEqual({ ok: true });
		const second = linkToken(outbox(db)[1].body, '/verify-email');
		expect(accounts.verifyEmail(db, first)).toEqual({ ok: false });
		accounts.resendVerificationEmail(db, account.id, context());
		accounts.resendVerificationEmail(db, account.id, context());
		expect(accounts.resendVerificationEmail(db, account.id, context())).toMatchObject({
			ok: false,
			reason: 'rate_limited'
		});
		const third = linkToken(outbox(db).at(-1)!.body, '/verify-email');
		expect(second).not.toBe(third);
		expect(accounts.verifyEmail(db, third).ok).toBe(true);
		expect(accounts.resendVerificationEmail(db, account.id, context())).toEqual({
			ok: false,
			reason: 'already_verified'
		});
		expect(() => accounts.resendVerificationEmail(db, 'nobody', context())).toThrow();
	});
});

describe('authenticate', () => {
	it('accepts the right password and gives the same answer for a wrong password or unknown email', async () => {
		const db = freshDb();
		const account = await registered(db);
		expect(
			await accounts.authenticate(
				db,
				{ email: ' ADA@example.org', password: goodPassword },
				context()
			)
		).toEqual({ ok: true, userId: account.id });
		const wrong = await accounts.authenticate(
			db,
			{ email: 'ada@example.org', password: 'nope nope' },
			context()
		);
		const unknown = await accounts.authenticate(
			db,
			{ email: 'who@example.org', password: 'nope nope' },
			context()
		);
		expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
		expect(unknown).toEqual(wrong);
	});

	it('checks an unknown email against the dummy hash, so it costs one argon2 verify like a known one', async () => {
		const db = freshDb();
		await registered(db);
		const dummy = vi.spyOn(passwords, 'verifyAgainstDummy');
		const real = vi.spyOn(passwords, 'verifyPassword');
		try {
			const attempt = (email: string) =>
				accounts.authenticate(db, { email, password: 'wrong password here' }, context());
			await attempt('ada@example.org');
			expect([real.mock.calls.length, dummy.mock.calls.length]).toEqual([1, 0]);
			await attempt('who@example.org');
			expect([real.mock.calls.length, dummy.mock.calls.length]).toEqual([1, 1]);
			expect(dummy.mock.calls[0]).toEqual(['wrong password here']);
		} finally {
			dummy.mockRestore();
			real.mockRestore();
		}
	});

	it('locks an account after 5 failures, even with the right password, and per IP after 20 attempts', async () => {
		const db = freshDb();
		await registered(db);
		for (let i = 0; i < 5; i += 1) {
			await accounts.authenticate(
				db,
				{ email: 'ada@example.org', password: 'wrong guess' },
				context()
			);
		}
		expect(
			await accounts.authenticate(
				db,
				{ email: 'ada@example.org', password: goodPassword },
				context()
			)
		).toMatchObject({ ok: false, reason: 'rate_limited' });
		const later = new Date(Date.now() + 16 * 60 * 1000);
		expect(
			await accounts.authenticate(
				db,
				{ email: 'ada@example.org', password: goodPassword },
				{ ...context(), now: later }
			)
		).toMatchObject({ ok: true });

		const ctx = context();
		const spy = vi.spyOn(passwords, 'verifyAgainstDummy');
		for (let i = 0; i < 20; i += 1) {
			const r = await accounts.authenticate(
				db,
				{ email: `x${i}@example.org`, password: 'whatever1' },
				ctx
			);
			expect(r.ok).toBe(false);
		}
		spy.mockRestore();
		expect(
			await accounts.authenticate(db, { email: 'ada@example.org', password: goodPassword }, ctx)
		).toMatchObject({ ok: false, reason: 'rate_limited' });
	});

	it('gives a new session at every login and a token whose hash only is stored', async () => {
		const db = freshDb();
		const account = await registered(db);
		const a = accounts.startSession(db, account.id);
		const b = accounts.startSession(db, account.id);
		expect(a.session.id).not.toBe(b.session.id);
		expect(a.session.id).toBe(hashToken(a.token));
		expect(
			db
				.select()
				.from(table.session)
				.all()
				.map((s) => s.id)
		).not.toContain(a.token);
	});
});

describe('changePassword and signOutOtherSessions', () => {
	it('changes the password, ends other sessions but not this one, and voids reset links', async () => {
		const db = freshDb();
		const account = await registered(db);
		const current = accounts.startSession(db, account.id);
		const other = accounts.startSession(db, account.id);
		accounts.requestPasswordReset(db, 'ada@example.org', context());
		const resetToken = linkToken(outbox(db).at(-1)!.body, '/reset-password');
		const result = await accounts.changePassword(
			db,
			account.id,
			current.session.id,
			{ currentPassword: goodPassword, newPassword: 'a brand new passphrase' },
			context()
		);
		expect(result).toEqual({ ok: true });
		expect(sessions.validateSessionToken(db, current.token).user?.id).toBe(account.id);
		expect(sessions.validateSessionToken(db, other.token).session).toBeNull();
		expect(accounts.isResetTokenValid(db, resetToken)).toBe(false);
		expect(
			(
				await accounts.authenticate(
					db,
					{ email: 'ada@example.org', password: 'a brand new passphrase' },
					context()
				)
			).ok
		).toBe(true);
	});

	it('refuses a wrong current password and a weak new one, changing nothing', async () => {
		const db = freshDb();
		const account = await registered(db);
		const current = accounts.startSession(db, account.id);
		const other = accounts.startSession(db, account.id);
		const wrong = await accounts.changePassword(
			db,
			account.id,
			current.session.id,
			{ currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
			context()
		);
		expect(wrong).toMatchObject({ ok: false, reason: 'wrong_password' });
		const weak = await accounts.changePassword(
			db,
			account.id,
			current.session.id,
			{ currentPassword: goodPassword, newPassword: 'ada@example.org' },
			context()
		);
		expect(weak).toMatchObject({ ok: false, reason: 'weak_password' });
		expect(sessions.validateSessionToken(db, other.token).session).not.toBeNull();
		expect(
			(
				await accounts.authenticate(
					db,
					{ email: 'ada@example.org', password: goodPassword },
					context()
				)
			).ok
		).toBe(true);
		await expect(
			accounts.changePassword(
				db,
				'nobody',
				'x',
				{ currentPassword: 'a', newPassword: 'b' },
				context()
			)
		).rejects.toThrow();
	});

	it('signs out other sessions on request', async () => {
		const db = freshDb();
		const account = await registered(db);
		const current = accounts.startSession(db, account.id);
		const other = accounts.startSession(db, account.id);
		accounts.signOutOtherSessions(db, account.id, current.session.id);
		expect(sessions.validateSessionToken(db, current.token).session).not.toBeNull();
		expect(sessions.validateSessionToken(db, other.token).session).toBeNull();
	});
});

describe('password reset', () => {
	it('emails a link only to existing accounts, with the same answer either way', async () => {
		const db = freshDb();
		await registered(db);
		const before = outbox(db).length;
		expect(accounts.requestPasswordReset(db, 'who@example.org', context())).toEqual({ ok: true });
		expect(outbox(db).length).toBe(before);
		expect(accounts.requestPasswordReset(db, 'ADA@example.org', context())).toEqual({ ok: true });
		expect(outbox(db).length).toBe(before + 1);
	});

	it('resets once, ends every session, confirms the email and refuses reuse', async () => {
		const db = freshDb();
		const account = await registered(db);
		const session = accounts.startSession(db, account.id);
		accounts.requestPasswordReset(db, 'ada@example.org', context());
		const token = linkToken(outbox(db).at(-1)!.body, '/reset-password');
		expect(accounts.isResetTokenValid(db, token)).toBe(true);
		const weak = await accounts.resetPassword(db, token, 'password123');
		expect(weak).toMatchObject({ ok: false, reason: 'weak_password' });
		expect(accounts.isResetTokenValid(db, token)).toBe(true);
		expect(await accounts.resetPassword(db, token, 'my new long passphrase')).toEqual({
			ok: true,
			userId: account.id
		});
		expect(sessions.validateSessionToken(db, session.token).session).toBeNull();
		expect(accounts.getAccount(db, account.id)!.emailVerifiedAt).toBeInstanceOf(Date);
		expect(await accounts.resetPassword(db, token, 'another new passphrase')).toEqual({
			ok: false,
			reason: 'invalid_token'
		});
		expect(
			(
				await accounts.authenticate(
					db,
					{ email: 'ada@example.org', password: 'my new long passphrase' },
					context()
				)
			).ok
		).toBe(true);
	});

	it('refuses an expired or unknown token, and a new link voids the previous one', async () => {
		const db = freshDb();
		await registered(db);
		accounts.requestPasswordReset(db, 'ada@example.org', context());
		const first = linkToken(outbox(db).at(-1)!.body, '/reset-password');
		const later = new Date(Date.now() + 61 * 60 * 1000);
		expect(await accounts.resetPassword(db, first, 'my new long passphrase', later)).toEqual({
			ok: false,
			reason: 'invalid_token'
		});
		expect(await accounts.resetPassword(db, 'x'.repeat(500), 'my new long passphrase')).toEqual({
			ok: false,
			reason: 'invalid_token'
		});
		accounts.requestPasswordReset(db, 'ada@example.org', context());
		expect(accounts.isResetTokenValid(db, first)).toBe(false);
	});

	it('is limited per IP and per email', async () => {
		const db = freshDb();
		const ctx = context();
		for (let i = 0; i < 5; i += 1) accounts.requestPasswordReset(db, `p${i}@example.org`, ctx);
		expect(accounts.requestPasswordReset(db, 'p9@example.org', ctx)).toMatchObject({
			ok: false,
			reason: 'rate_limited'
		});
		for (let i = 0; i < 3; i += 1) accounts.requestPasswordReset(db, 'same@example.org', context());
		expect(accounts.requestPasswordReset(db, 'same@example.org', context())).toMatchObject({
			ok: false,
			reason: 'rate_limited'
		});
	});
});

describe('administrators', () => {
	it('ensureFirstAdmin creates the admin from the environment once', async () => {
		const db = freshDb();
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		const result = await accounts.ensureFirstAdmin(db, {
			adminEmail: 'Boss@Example.org',
			adminPassword: 'a good admin passphrase'
		});
		expect(result).toMatchObject({ ok: true, action: 'created' });
		const admin = accounts.findAccountByEmail(db, 'boss@example.org')!;
		expect(admin.siteRole).toBe('admin');
		expect(admin.emailVerifiedAt).toBeInstanceOf(Date);
		expect(
			await accounts.ensureFirstAdmin(db, { adminEmail: 'other@example.org', adminPassword: 'x' })
		).toBeNull();
		log.mockRestore();
	});

	it('refuses a weak admin password with a clear log and never uses a default', async () => {
		const db = freshDb();
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const weak = await accounts.ensureFirstAdmin(db, {
			adminEmail: 'boss@example.org',
			adminPassword: 'password'
		});
		expect(weak).toMatchObject({ ok: false });
		expect(errors.mock.calls[0][0]).toMatch(/NOT created.*common/);
		expect(
			await accounts.ensureFirstAdmin(db, { adminEmail: 'boss@example.org', adminPassword: null })
		).toMatchObject({ ok: false });
		expect(
			await accounts.ensureFirstAdmin(db, { adminEmail: null, adminPassword: null })
		).toBeNull();
		expect(warn).toHaveBeenCalled();
		expect(accounts.adminCount(db)).toBe(0);
		errors.mockRestore();
		warn.mockRestore();
	});

	it('createOrPromoteAdmin promotes an existing account without touching its password', async () => {
		const db = freshDb();
		const account = await registered(db);
		expect(await accounts.createOrPromoteAdmin(db, { email: 'ada@example.org' })).toEqual({
			ok: true,
			action: 'promoted',
			userId: account.id
		});
		expect(await accounts.createOrPromoteAdmin(db, { email: 'ada@example.org' })).toMatchObject({
			action: 'unchanged'
		});
		expect(
			(
				await accounts.authenticate(
					db,
					{ email: 'ada@example.org', password: goodPassword },
					context()
				)
			).ok
		).toBe(true);
		expect(
			await accounts.createOrPromoteAdmin(db, { email: 'not an email', password: goodPassword })
		).toMatchObject({
			ok: false
		});
		expect(
			await accounts.createOrPromoteAdmin(db, {
				email: 'n@example.org',
				name: 'x'.repeat(101),
				password: goodPassword
			})
		).toMatchObject({ ok: false });
	});
});

describe('rate limit windows', () => {
	it('counts within a fixed window, scales, and starts over when the window ends', () => {
		const db = freshDb();
		const limit = { max: 2, windowMs: 1000 };
		const now = new Date();
		expect(rateLimit.consume(db, 'k', limit, 1, now).allowed).toBe(true);
		expect(rateLimit.consume(db, 'k', limit, 1, now).allowed).toBe(true);
		const blocked = rateLimit.consume(db, 'k', limit, 1, now);
		expect(blocked).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(rateLimit.check(db, 'k', limit, 1, now).allowed).toBe(false);
		expect(rateLimit.check(db, 'k', limit, 2, now).allowed).toBe(true);
		expect(rateLimit.consume(db, 'k', limit, 2, now).allowed).toBe(true);
		const next = new Date(now.getTime() + 1000);
		expect(rateLimit.check(db, 'k', limit, 1, next).allowed).toBe(true);
		expect(rateLimit.consume(db, 'k', limit, 1, next).allowed).toBe(true);
		rateLimit.clear(db, 'k');
		expect(db.select().from(table.rateLimit).all()).toHaveLength(0);
		rateLimit.consume(db, 'old', limit, 1, now);
		rateLimit.pruneExpired(db, next);
		expect(db.select().from(table.rateLimit).all()).toHaveLength(0);
	});
});
