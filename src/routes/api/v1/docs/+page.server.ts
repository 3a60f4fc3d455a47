import * as openapi from '$lib/server/api/openapi';
import { reference } from '$lib/server/api/openapi/reference';
import { limits } from '$lib/server/auth/rate-limit';
import { config } from '$lib/server/config';
import type { PageServerLoad } from './$types';

/** Plain reading: no script needed, and none sent (the page stays small). */
export const csr = false;

/** As the limiter counts: the configured scale applies to every limit. */
const allowance = (max: number) => Math.max(1, Math.floor(max * config.rateLimitScale));

/** Public reference, rendered from the OpenAPI document so it cannot say something else. */
export const load: PageServerLoad = () => {
	const document = openapi.documentFor(config.origin);
	return {
		version: document.info.version,
		origin: config.origin,
		licenceUrl: openapi.LICENCE_URL,
		sections: reference(document),
		rateLimits: {
			anonymous: allowance(limits.apiAnonymousPerIp.max),
			token: allowance(limits.apiPerToken.max),
			minutes: limits.apiAnonymousPerIp.windowMs / 60_000
		}
	};
};
