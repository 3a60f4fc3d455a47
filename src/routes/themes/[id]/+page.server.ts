import { error } from '@sveltejs/kit';
import { latestCards } from '$lib/server/case-studies/cards';
import { appDb } from '$lib/server/db/app';
import { isThemeId, targetsByTheme } from '$lib/vocab/theme-targets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	if (!isThemeId(params.id)) error(404, 'Not found');
	return {
		id: params.id,
		relatedTargets: [...targetsByTheme[params.id]],
		...latestCards(appDb(), { theme: params.id })
	};
};
