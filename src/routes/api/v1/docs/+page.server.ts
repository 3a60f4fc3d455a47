import * as openapi from '$lib/server/api/openapi';
import { reference } from '$lib/server/api/openapi/reference';
import { config } from '$lib/server/config';
import type { PageServerLoad } from './$types';

/** Plain reading: no script needed, and none sent (the page stays small). */
export const csr = false;

/** Public reference, rendered from the OpenAPI document so it cannot say something else. */
export const load: PageServerLoad = () => {
	const document = openapi.documentFor(config.origin);
	return {
		version: document.info.version,
		origin: config.origin,
		licenceUrl: openapi.LICENCE_URL,
		sections: reference(document)
	};
};
