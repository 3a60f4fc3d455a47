import { getLocale } from '$lib/paraglide/runtime';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { sdgGoalShortTitle, sdgGoalTitle, sdgTargetTexts } from '$lib/vocab/sdg-texts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const locale = getLocale();
	return {
		goal: { shortTitle: sdgGoalShortTitle[locale], officialText: sdgGoalTitle[locale] },
		targets: sdgTargetIds.map((id) => ({ id, officialText: sdgTargetTexts(id)[locale] }))
	};
};
