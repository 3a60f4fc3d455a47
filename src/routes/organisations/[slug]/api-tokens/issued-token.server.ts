import type { Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import { config } from '$lib/server/config';

/**
 * Carries a just-issued token across the create action's redirect (Post/Redirect/Get), so that
 * reloading the page cannot resend the form and issue a second token. The plaintext lives only
 * in this short-lived cookie, scoped to the tokens page, and is deleted by the first page load
 * that reads it: it is shown once and never stored at rest.
 */
export const ISSUED_TOKEN_COOKIE = 'issued-api-token';
const MAX_AGE_SECONDS = 5 * 60;

const issuedShape = z.object({
	id: z.string().min(1).max(64),
	token: z.string().min(1).max(128)
});
export type IssuedToken = z.output<typeof issuedShape>;

const options = (path: string) => ({
	path,
	httpOnly: true,
	sameSite: 'strict' as const,
	secure: config.secureCookies
});

export function rememberIssued(cookies: Cookies, path: string, issued: IssuedToken): void {
	cookies.set(ISSUED_TOKEN_COOKIE, JSON.stringify({ id: issued.id, token: issued.token }), {
		...options(path),
		maxAge: MAX_AGE_SECONDS
	});
}

/** The token the cookie carries, if any, and the cookie deleted at once whatever it holds. */
export function takeIssued(cookies: Cookies, path: string): IssuedToken | null {
	const value = cookies.get(ISSUED_TOKEN_COOKIE);
	if (value === undefined) return null;
	cookies.delete(ISSUED_TOKEN_COOKIE, options(path));
	try {
		const parsed = issuedShape.safeParse(JSON.parse(value));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
