import type { RequestHandler } from './$types';
import { problem } from '$lib/server/api/problem';

/** Unknown API paths answer with a problem document, never an HTML page. */
export const fallback: RequestHandler = ({ url }) =>
	problem(404, `There is no API resource at ${url.pathname}.`);
