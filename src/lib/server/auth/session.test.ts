import { describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, type Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken } from '$lib/server/ids';
import * as auth from './session';

const DAY = 24 * 60 * 60 * 1000;

function dbWithUser(): { db: Db; userId: string } {
	const db = openDatabase(':memory:');
	runMigrations(db);
	db.insert(table.user)
		.values({ id: 'u1', email: 'u1@example.org', name: 'U One', passwordHash: 'x' })
		.run();
	return { db, userId: 'u1' };
}

describe('session tokens', () => {
	it('are random, at least 128 bits, and only their SHA-256 is stored', () => {
		const { db, userId } = dbWithUser();
		const token = auth.generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/); // 20 bytes = 160 bits in base32
		expect(auth.generateSessionToken()).not.toBe(token);
		const session = auth.createSession(db, token, userId);
		expect(session.id).toBe(hashToken(token));
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		const stored = db.select().from(table.session).all();
		expect(stored.map((s) => s.id)).toEqual([hashToken(token)]);
		expect(JSON.stringify(stored)).not.toContain(token);
	});

	it('validate the user for a live token and nothing for an unknown one', () => {
		const { db, userId } = dbWithUser();
		const token = auth.generateSessionToken();
		auth.createSession(db, token, userId);
		const result = auth.validateSessionToken(db, token);
		expect(result.user).toEqual({
			id: userId,
			email: 'u1@example.org',
			name: 'U One',
			siteRole: 'member',
			emailVerifiedAt: null
		});
		expect(auth.validateSessionToken(db, 'not-a-token')).toEqual({ session: null, user: null });
		// The stored hash itself is not a token.
		expect(auth.validateSessionToken(db, hashToken(token)).session).toBeNull();
	});
});

describe('session expiry', () => {
	it('ends a session left unused for the inactivity timeout and deletes it', () => {
		const { db, userId } = dbWithUser();
		const start = new Date('2026-01-01T00:00:00Z');
		const token = auth.generateSessionToken();
		auth.createSession(db, token, userId, start);
		const justBefore = new Date(start.getTime() + auth.INACTIVITY_TIMEOUT - 1);
		expect(auth.validateSessionToken(db, token, justBefore).session).not.toBeNull();
		const token2 = auth.generateSessionToken();
		auth.createSession(db, token2, userId, start);
		const atExpiry = new Date(start.getTime() + auth.INACTIVITY_TIMEOUT);
		expect(auth.validateSessionToken(db, token2, atExpiry)).toEqual({ session: null, user: null });
		expect(
			db
				.select()
				.from(table.session)
				.all()
				.map((s) => s.id)
		).not.toContain(hashToken(token2));
	});

	it('does not write on every request, and slides the expiry once less than the renewal window remains', () => {
		const { db, userId } = dbWithUser();
		const start = new Date('2026-01-01T00:00:00Z');
		const token = auth.generateSessionToken();
		const created = auth.createSession(db, token, userId, start);
		const early = new Date(start.getTime() + 1 * DAY);
		expect(auth.validateSessionToken(db, token, early).session!.expiresAt).toEqual(
			created.expiresAt
		);
		const late = new Date(start.getTime() + auth.INACTIVITY_TIMEOUT - auth.RENEW_WITHIN + 1);
		const renewed = auth.validateSessionToken(db, token, late).session!;
		expect(renewed.expiresAt.getTime()).toBe(late.getTime() + auth.INACTIVITY_TIMEOUT);
		const stored = db.select().from(table.session).get()!;
		expect(stored.expiresAt.getTime()).toBe(renewed.expiresAt.getTime());
	});

	it('never lives past the absolute lifetime, however active', () => {
		const { db, userId } = dbWithUser();
		const start = new Date('2026-01-01T00:00:00Z');
		const token = auth.generateSessionToken();
		auth.createSession(db, token, userId, start);
		let now = start;
		let last = null;
		// Use the site every 6 days: renewals keep it alive until the hard limit.
		while (now.getTime() < start.getTime() + auth.ABSOLUTE_LIFETIME - 6 * DAY) {
			now = new Date(now.getTime() + 6 * DAY);
			last = auth.validateSessionToken(db, token, now).session;
			expect(last).not.toBeNull();
			expect(last!.expiresAt.getTime()).toBeLessThanOrEqual(
				start.getTime() + auth.ABSOLUTE_LIFETIME
			);
		}
		// At the hard limit the expiry cannot move, so it is no longer rewritten.
		const capped = db.select().from(table.session).get()!.expiresAt.getTime();
		expect(capped).toBe(start.getTime() + auth.ABSOLUTE_LIFETIME);
		const writes = () =>
			(db.$client.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
		const before = writes();
		auth.validateSessionToken(db, token, new Date(capped - 1));
		expect(writes()).toBe(before);
		const hardLimit = new Date(start.getTime() + auth.ABSOLUTE_LIFETIME);
		expect(auth.validateSessionToken(db, token, hardLimit)).toEqual({ session: null, user: null });
	});
});

describe('session invalidation', () => {
	it('ends one session, all sessions, or all but the current one', () => {
		const { db, userId } = dbWithUser();
		const [a, b, c] = [0, 1, 2].map(() => {
			const token = auth.generateSessionToken();
			return { token, session: auth.createSession(db, token, userId) };
		});
		auth.invalidateSession(db, a.session.id);
		expect(auth.validateSessionToken(db, a.token).session).toBeNull();
		expect(auth.validateSessionToken(db, b.token).session).not.toBeNull();
		auth.invalidateOtherSessions(db, userId, b.session.id);
		expect(auth.validateSessionToken(db, b.token).session).not.toBeNull();
		expect(auth.validateSessionToken(db, c.token).session).toBeNull();
		auth.invalidateAllSessions(db, userId);
		expect(auth.validateSessionToken(db, b.token).session).toBeNull();
	});
});

describe('session cookie', () => {
	type Call = { name: string; value?: string; options: Record<string, unknown> };
	function fakeCookies() {
		const calls: Call[] = [];
		const cookies = {
			set: (name: string, value: string, options: Record<string, unknown>) =>
				calls.push({ name, value, options }),
			delete: (name: string, options: Record<string, unknown>) => calls.push({ name, options })
		} as unknown as import('@sveltejs/kit').Cookies;
		return { calls, cookies };
	}

	it('is HttpOnly, SameSite=Lax, Path=/ and not Secure over http', () => {
		const { calls, cookies } = fakeCookies();
		const expires = new Date('2026-02-01T00:00:00Z');
		auth.setSessionCookie(cookies, 'tok', expires, false);
		expect(calls[0]).toEqual({
			name: 'session',
			value: 'tok',
			options: { httpOnly: true, sameSite: 'lax', secure: false, path: '/', expires }
		});
	});

	it('is Secure with the __Host- prefix over https, and deleted with the same attributes', () => {
		const { calls, cookies } = fakeCookies();
		auth.setSessionCookie(cookies, 'tok', new Date(), true);
		auth.deleteSessionCookie(cookies, true);
		expect(calls[0].name).toBe('__Host-session');
		expect(calls[0].options).toMatchObject({ secure: true, path: '/' });
		expect(calls[1]).toEqual({
			name: '__Host-session',
			options: { httpOnly: true, sameSite: 'lax', secure: true, path: '/' }
		});
	});
});
