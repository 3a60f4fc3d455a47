import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import * as caseStudies from '$lib/server/case-studies';
import { cardOf } from '$lib/server/case-studies/cards';
import { appDb } from '$lib/server/db/app';
import { isSdgTargetId, sdgIndicatorsByTarget } from '$lib/vocab/sdg';
import { sdgIndicatorTexts, sdgTargetTexts } from '$lib/vocab/sdg-texts';
import { neighbouringTargets, themesForTarget } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

/** How many of the latest published cases the page shows; the rest are one link away. */
const latestCount = 10;

export const load: PageServerLoad = ({ params }) => {
	if (!isSdgTargetId(params.target)) error(404, 'Not found');
	const id = params.target;
	// The official texts exist in every site language; only the current one goes to the page.
	const locale = getLocale();
	const db = appDb();
	const filters = { sdg: id };
	return {
		id,
		officialText: sdgTargetTexts(id)[locale],
		indicators: sdgIndicatorsByTarget[id].map((indicator) => ({
			id: indicator,
			officialText: sdgIndicatorTexts(indicator)[locale]
		})),
		relatedThemes: themesForTarget(id),
		...neighbouringTargets(id),
		cases: caseStudies.listPublished(db, filters, { limit: latestCount }).items.map(cardOf),
		caseCount: caseStudies.countPublished(db, filters)
	};
};
