import type { Handle } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as auth from '$lib/server/auth/session';

export const handleSession: Handle = async ({ event, resolve }) => {
	const cookieName = auth.sessionCookieName(config.secureCookies);
	const token = event.cookies.get(cookieName);
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const { session, user } = auth.validateSessionToken(appDb(), token);
	if (session) {
		auth.setSessionCookie(event.cookies, token, session.expiresAt, config.secureCookies);
	} else {
		auth.deleteSessionCookie(event.cookies, config.secureCookies);
	}
	event.locals.user = user;
	event.locals.session = session;
	const response = await resolve(event);
	// A response shared caches may keep (a published case's image) must not carry this session.
	if (/\bpublic\b/.test(response.headers.get('cache-control') ?? '')) {
		response.headers.delete('set-cookie');
	}
	return response;
};
