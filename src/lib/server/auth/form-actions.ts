import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { config } from '$lib/server/config';
import { formFailure, type FormEcho } from '$lib/server/forms';
import type { RequestContext } from '$lib/server/accounts';

/** What the account flows need to know about the request: who is asking from where. */
export function requestContext(event: Pick<RequestEvent, 'getClientAddress'>): RequestContext {
	return { ip: event.getClientAddress(), config };
}

/** 429 with Retry-After and a message saying how long to wait; what was typed is kept. */
export function rateLimitedFailure(
	event: Pick<RequestEvent, 'setHeaders'>,
	echo: FormEcho,
	retryAfterSeconds: number
) {
	event.setHeaders({ 'retry-after': String(retryAfterSeconds) });
	return formFailure(
		429,
		echo,
		{},
		m.auth_rate_limited({ minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) })
	);
}
