import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as listingsApi from '$lib/server/needs-offers/api';
import type { RequestHandler } from './$types';

/** Offers the asker may see (open ones unless `status` says otherwise), newest first. */
export const GET: RequestHandler = ({ url, request, locals }) =>
	listingsApi.listResponse(appDb(), actorOf(locals), 'offer', url, request, config.origin);
