import { m } from '$lib/paraglide/messages';
import { problem } from '$lib/server/api/problem';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as matching from '$lib/server/matching';
import * as matchingApi from '$lib/server/matching/api';
import type { RequestHandler } from './$types';

/**
 * A need's matches: offers, partners, case studies and peer needs in one list (shape in
 * $lib/server/matching/api.ts). An unknown need and one the asker may not see get the same 404.
 */
export const GET: RequestHandler = ({ params, url, request, locals }) => {
	const parsed = matchingApi.parseMatchParams(url, request, { kinds: true });
	if ('errors' in parsed) return matchingApi.badParams(parsed.errors);
	const { limit, kinds } = parsed.params;
	const matches = matching.matchesForNeed(appDb(), actorOf(locals), params.id, { limit });
	if (!matches) return problem(404, m.matching_api_need_not_found());
	const byKind: Record<matchingApi.MatchKind, matching.MatchItem[]> = {
		offer: matches.offers,
		organisation: matches.partners,
		case_study: matches.caseStudies,
		need: matches.peerNeeds
	};
	const items = matchingApi.matchKinds
		.filter((kind) => kinds.includes(kind))
		.flatMap((kind) => byKind[kind]);
	return matchingApi.matchesResponse(items, parsed.params, config.origin);
};
