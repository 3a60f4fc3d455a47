import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { latestCards } from '$lib/server/case-studies/cards';
import { appDb } from '$lib/server/db/app';
import { isSdgTargetId, sdgIndicatorsByTarget } from '$lib/vocab/sdg';
import { sdgIndicatorTexts, sdgTargetTexts } from '$lib/vocab/sdg-texts';
import { neighbouringTargets, themesForTarget } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	if (!isSdgTargetId(params.target)) error(404, 'Not found');
	const id = params.target;
	// The official texts exist in every site language; only the current one goes to the page.
	const locale = getLocale();
	return {
		id,
		officialText: sdgTargetTexts(id)[locale],
		indicators: sdgIndicatorsByTarget[id].map((indicator) => ({
			id: indicator,
			officialText: sdgIndicatorTexts(indicator)[locale]
		})),
		relatedThemes: themesForTarget(id),
		...neighbouringTargets(id),
		...latestCards(appDb(), { sdg: id })
	};
};
