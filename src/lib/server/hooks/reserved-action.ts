import type { Handle } from '@sveltejs/kit';

/**
 * SvelteKit answers a POST naming the reserved action `?/default` with a 500; no form of ours
 * does that, so it is a bad request, answered like any other unknown action.
 */
export const handleReservedActionName: Handle = ({ event, resolve }) => {
	if (event.request.method === 'POST' && event.url.searchParams.has('/default')) {
		return new Response('This form action does not exist.', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};
