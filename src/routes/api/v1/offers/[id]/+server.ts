import { json } from '@sveltejs/kit';
import * as listingWrites from '$lib/server/api/listing-writes';
import { problem } from '$lib/server/api/problem';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as listings from '$lib/server/needs-offers';
import * as listingsApi from '$lib/server/needs-offers/api';
import type { RequestHandler } from './$types';

/** One offer; an unknown id and one the asker may not see get the same 404. */
export const GET: RequestHandler = ({ params, locals }) => {
	const offer = listings.getOffer(appDb(), actorOf(locals), params.id);
	if (!offer) return problem(404, 'There is no offer with this id that you may see.');
	return json(listingsApi.offerToApi(offer, config.origin), {
		headers: listingsApi.privateHeaders
	});
};

/** Replaces an offer's content (JSON body, as for POST); 200 with the offer as GET shows it. */
export const PUT: RequestHandler = ({ params, request, locals }) =>
	listingWrites.replaceListing(appDb(), 'offer', params.id, request, locals, config.origin);
