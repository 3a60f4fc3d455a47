import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The newest public offers as Atom 1.0; the /offers filters narrow it. */
export const GET: RequestHandler = ({ url }) =>
	openData.listingFeedResponse(appDb(), 'offer', url, config.origin);
