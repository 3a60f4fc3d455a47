import { error } from '@sveltejs/kit';
import type { CaseStudyCard } from '$lib/components/CaseStudyList.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import { isSdgTargetId, sdgIndicatorsByTarget } from '$lib/vocab/sdg';
import { sdgIndicatorTexts, sdgTargetTexts } from '$lib/vocab/sdg-texts';
import { neighbouringTargets, themesForTarget } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	if (!isSdgTargetId(params.target)) error(404, 'Not found');
	const id = params.target;
	// The official texts exist in every site language; only the current one goes to the page.
	const locale = getLocale();
	// Published case studies on this target come with the case-studies domain (issue 3).
	const cases: CaseStudyCard[] = [];
	return {
		id,
		officialText: sdgTargetTexts(id)[locale],
		indicators: sdgIndicatorsByTarget[id].map((indicator) => ({
			id: indicator,
			officialText: sdgIndicatorTexts(indicator)[locale]
		})),
		relatedThemes: themesForTarget(id),
		...neighbouringTargets(id),
		cases
	};
};
