import { error } from '@sveltejs/kit';
import * as caseStudies from '$lib/server/case-studies';
import { cardOf } from '$lib/server/case-studies/cards';
import { appDb } from '$lib/server/db/app';
import { isThemeId, targetsByTheme } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

/** How many of the latest published cases the page shows; the rest are one link away. */
const latestCount = 10;

export const load: PageServerLoad = ({ params }) => {
	if (!isThemeId(params.id)) error(404, 'Not found');
	const db = appDb();
	const filters = { theme: params.id };
	return {
		id: params.id,
		relatedTargets: [...targetsByTheme[params.id]],
		cases: caseStudies.listPublished(db, filters, { limit: latestCount }).items.map(cardOf),
		caseCount: caseStudies.countPublished(db, filters)
	};
};
