import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** One whole dataset as JSON Lines or CSV (`needs.jsonl`, `needs.csv`…), streamed. */
export const GET: RequestHandler = ({ params, url, request }) =>
	openData.fileResponse(appDb(), params.file, url, request, config.origin);
