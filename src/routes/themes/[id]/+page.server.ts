import { error } from '@sveltejs/kit';
import type { CaseStudyCard } from '$lib/components/CaseStudyList.svelte';
import { isThemeId, targetsByTheme } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	if (!isThemeId(params.id)) error(404, 'Not found');
	// Published case studies on this theme come with the case-studies domain (issue 3).
	const cases: CaseStudyCard[] = [];
	return { id: params.id, relatedTargets: [...targetsByTheme[params.id]], cases };
};
