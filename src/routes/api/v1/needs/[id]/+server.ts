import { json } from '@sveltejs/kit';
import * as listingWrites from '$lib/server/api/listing-writes';
import { problem } from '$lib/server/api/problem';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as listings from '$lib/server/needs-offers';
import * as listingsApi from '$lib/server/needs-offers/api';
import type { RequestHandler } from './$types';

/** One need; an unknown id and one the asker may not see get the same 404. */
export const GET: RequestHandler = ({ params, locals }) => {
	const need = listings.getNeed(appDb(), actorOf(locals), params.id);
	if (!need) return problem(404, 'There is no need with this id that you may see.');
	return json(listingsApi.needToApi(need, config.origin), { headers: listingsApi.privateHeaders });
};

/** Replaces a need's content (JSON body, as for POST); 200 with the need as GET shows it. */
export const PUT: RequestHandler = ({ params, request, locals }) =>
	listingWrites.replaceListing(appDb(), 'need', params.id, request, locals, config.origin);
