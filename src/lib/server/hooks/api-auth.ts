import type { Handle, RequestEvent } from '@sveltejs/kit';
import { deLocalizeUrl } from '$lib/paraglide/runtime';
import { problem } from '$lib/server/api/problem';
import * as apiTokens from '$lib/server/api-tokens';
import * as rateLimit from '$lib/server/auth/rate-limit';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
const isFeed = (path: string) => path.startsWith('/feeds/');

/**
 * The client address as adapter-node reports it. When ADDRESS_HEADER names a header the request
 * lacks (it did not come through the proxy), such requests share one bucket rather than fail.
 */
function clientAddress(event: RequestEvent): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

function usageHeaders(usage: rateLimit.RateLimitUsage): Record<string, string> {
	return {
		'ratelimit-limit': String(usage.limit),
		'ratelimit-remaining': String(usage.remaining),
		'ratelimit-reset': String(usage.resetSeconds)
	};
}

/**
 * For /api/ and /feeds/: an `Authorization: Bearer` token on /api/ is checked (a bad one is a
 * 401, never silently anonymous) and put on `locals.apiToken`; every request counts against a
 * fixed-window limit, per token with one, per client address without. Pages are not limited.
 */
export const handleApiAuth: Handle = async ({ event, resolve }) => {
	event.locals.apiToken = null;
	const path = deLocalizeUrl(event.url).pathname;
	const api = isApi(path);
	if (!api && !isFeed(path)) return resolve(event);
	const db = appDb();
	const header = api ? event.request.headers.get('authorization') : null;
	const token = header ? apiTokens.authenticate(db, header) : null;
	const usage = token
		? rateLimit.consumeWithUsage(
				db,
				`api:token:${token.tokenId}`,
				rateLimit.limits.apiPerToken,
				config.rateLimitScale
			)
		: rateLimit.consumeWithUsage(
				db,
				`api:ip:${clientAddress(event)}`,
				rateLimit.limits.apiAnonymousPerIp,
				config.rateLimitScale
			);
	const headers = usageHeaders(usage);
	if (!usage.allowed) {
		return problem(
			429,
			`Too many requests: at most ${usage.limit} in this window. Try again in ${usage.retryAfterSeconds} seconds${token ? '' : ', or use an API token'}.`,
			[],
			{ ...headers, 'retry-after': String(usage.retryAfterSeconds) }
		);
	}
	if (header && !token) {
		return problem(
			401,
			'The API token is not valid: it is malformed, unknown, revoked or expired, or the person who issued it has left the organisation. Send "Authorization: Bearer <token>" with a live token, or no Authorization header at all.',
			[],
			{ ...headers, 'www-authenticate': 'Bearer realm="CityBridge API", error="invalid_token"' }
		);
	}
	event.locals.apiToken = token;
	const response = await resolve(event);
	for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
	return response;
};
