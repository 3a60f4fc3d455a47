import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The newest public needs as Atom 1.0; the /needs filters narrow it. */
export const GET: RequestHandler = ({ url }) =>
	openData.listingFeedResponse(appDb(), 'need', url, config.origin);
