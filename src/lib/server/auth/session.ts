import { and, eq, ne } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken, randomToken } from '$lib/server/ids';

const DAY = 24 * 60 * 60 * 1000;
/** A session left unused this long ends. */
export const INACTIVITY_TIMEOUT = 14 * DAY;
/** Renew the expiry once less than this remains, so active users are not written on every request. */
export const RENEW_WITHIN = 7 * DAY;
/** No session lives longer than this, however active. */
export const ABSOLUTE_LIFETIME = 90 * DAY;

export type SessionUser = Pick<
	typeof table.user.$inferSelect,
	'id' | 'email' | 'name' | 'siteRole' | 'emailVerifiedAt'
>;
export type Session = typeof table.session.$inferSelect;
export type SessionValidation =
	{ session: Session; user: SessionUser } | { session: null; user: null };

export function generateSessionToken(): string {
	return randomToken();
}

export function createSession(db: Db, token: string, userId: string, now = new Date()): Session {
	const session: Session = {
		id: hashToken(token),
		userId,
		expiresAt: new Date(now.getTime() + INACTIVITY_TIMEOUT),
		createdAt: now
	};
	db.insert(table.session).values(session).run();
	return session;
}

/** Looks the token up by its hash; ends expired sessions and slides the expiry of live ones. */
export function validateSessionToken(db: Db, token: string, now = new Date()): SessionValidation {
	const sessionId = hashToken(token);
	const row = db
		.select({
			session: table.session,
			user: {
				id: table.user.id,
				email: table.user.email,
				name: table.user.name,
				siteRole: table.user.siteRole,
				emailVerifiedAt: table.user.emailVerifiedAt
			}
		})
		.from(table.session)
		.innerJoin(table.user, eq(table.session.userId, table.user.id))
		.where(eq(table.session.id, sessionId))
		.get();
	if (!row) return { session: null, user: null };
	const { session, user } = row;
	const hardLimit = session.createdAt.getTime() + ABSOLUTE_LIFETIME;
	if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= hardLimit) {
		db.delete(table.session).where(eq(table.session.id, sessionId)).run();
		return { session: null, user: null };
	}
	const renewed = Math.min(now.getTime() + INACTIVITY_TIMEOUT, hardLimit);
	// Near the absolute limit there is nothing to extend, so no write on every request.
	if (
		session.expiresAt.getTime() - now.getTime() < RENEW_WITHIN &&
		renewed > session.expiresAt.getTime()
	) {
		session.expiresAt = new Date(renewed);
		db.update(table.session)
			.set({ expiresAt: session.expiresAt })
			.where(eq(table.session.id, sessionId))
			.run();
	}
	return { session, user };
}

export function invalidateSession(db: Db, sessionId: string): void {
	db.delete(table.session).where(eq(table.session.id, sessionId)).run();
}

export function invalidateAllSessions(db: Db, userId: string): void {
	db.delete(table.session).where(eq(table.session.userId, userId)).run();
}

/** Ends every session of the user except the one they are using. */
export function invalidateOtherSessions(db: Db, userId: string, keepSessionId: string): void {
	db.delete(table.session)
		.where(and(eq(table.session.userId, userId), ne(table.session.id, keepSessionId)))
		.run();
}

export function sessionCookieName(secure: boolean): string {
	return secure ? '__Host-session' : 'session';
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: Date,
	secure: boolean
): void {
	cookies.set(sessionCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(sessionCookieName(secure), { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
