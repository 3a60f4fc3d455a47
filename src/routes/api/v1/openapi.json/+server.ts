import * as openapi from '$lib/server/api/openapi';
import { config } from '$lib/server/config';
import type { RequestHandler } from './$types';

/** Built once; the same for everyone, so any cache may keep it for an hour. */
let body: string | undefined;

export const GET: RequestHandler = () => {
	body ??= JSON.stringify(openapi.documentFor(config.origin));
	return new Response(body, {
		headers: {
			'content-type': 'application/json',
			'cache-control': 'public, max-age=3600',
			'access-control-allow-origin': '*'
		}
	});
};
