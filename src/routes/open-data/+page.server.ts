import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import type { PageServerLoad } from './$types';

/** Public: what can be downloaded, with each dataset's size and last change. */
export const load: PageServerLoad = () => ({
	datasets: openData.summaries(appDb()).map(({ name, records, updatedAt }) => ({
		name,
		records,
		updatedAt
	})),
	licence: { url: openData.LICENCE.url, attribution: openData.attributionText(config.origin) }
});
