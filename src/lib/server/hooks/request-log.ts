import type { Handle, HandleServerError } from '@sveltejs/kit';
import { randomId } from '$lib/server/ids';

/** Gives each request an id (echoed in X-Request-Id and error pages) and logs one JSON line. */
export const handleRequestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	event.locals.requestId = randomId();
	const response = await resolve(event);
	response.headers.set('x-request-id', event.locals.requestId);
	if (process.env.LOG_REQUESTS !== 'false') {
		console.log(
			JSON.stringify({
				at: new Date().toISOString(),
				id: event.locals.requestId,
				method: event.request.method,
				path: event.url.pathname,
				status: response.status,
				ms: Math.round(performance.now() - started)
			})
		);
	}
	return response;
};

export const handleServerError: HandleServerError = ({ error, event, status, message }) => {
	if (status >= 500) {
		console.error(
			`[${event.locals.requestId}] ${event.request.method} ${event.url.pathname}`,
			error
		);
	}
	return { message, requestId: event.locals.requestId };
};
