import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import type { RequestHandler } from './$types';

/** The bulk downloads: licence, and each dataset's record count, last change and files. */
export const GET: RequestHandler = ({ url }) => openData.indexResponse(appDb(), url, config.origin);
