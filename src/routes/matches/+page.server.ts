import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as matching from '$lib/server/matching';
import type { PageServerLoad } from './$types';

/** "Matches for you": signed-in members only; the matches of their organisations' listings. */
export const load: PageServerLoad = (event) => {
	requireUser(event);
	return matching.matchesForOrganisations(appDb(), actorOf(event.locals));
};
