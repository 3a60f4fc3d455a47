import { m } from '$lib/paraglide/messages';
import { problem } from '$lib/server/api/problem';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as matching from '$lib/server/matching';
import * as matchingApi from '$lib/server/matching/api';
import type { RequestHandler } from './$types';

/**
 * The needs an offer fits (shape in $lib/server/matching/api.ts). An unknown offer and one the
 * asker may not see get the same 404.
 */
export const GET: RequestHandler = ({ params, url, request, locals }) => {
	const parsed = matchingApi.parseMatchParams(url, request, { kinds: false });
	if ('errors' in parsed) return matchingApi.badParams(parsed.errors);
	const matches = matching.matchesForOffer(appDb(), actorOf(locals), params.id, {
		limit: parsed.params.limit
	});
	if (!matches) return problem(404, m.matching_api_offer_not_found());
	return matchingApi.matchesResponse(matches.needs, parsed.params, config.origin);
};
