import * as listingWrites from '$lib/server/api/listing-writes';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as listingsApi from '$lib/server/needs-offers/api';
import type { RequestHandler } from './$types';

/** Needs the asker may see (open ones unless `status` says otherwise), newest first. */
export const GET: RequestHandler = ({ url, request, locals }) =>
	listingsApi.listResponse(appDb(), actorOf(locals), 'need', url, request, config.origin);

/** Posts a need (JSON body) with a session or an API token; 201 with the need as GET shows it. */
export const POST: RequestHandler = ({ request, locals }) =>
	listingWrites.createListing(appDb(), 'need', request, locals, config.origin);
