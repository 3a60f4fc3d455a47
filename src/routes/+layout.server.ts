import type { LayoutServerLoad } from './$types';
import { getLocale, locales } from '$lib/paraglide/runtime';
import { preferredLocale } from '$lib/server/locale-hint';

export const load: LayoutServerLoad = ({ locals, request }) => {
	const preferred = preferredLocale(request.headers.get('accept-language'), locales);
	return {
		user: locals.user
			? { id: locals.user.id, name: locals.user.name, siteRole: locals.user.siteRole }
			: null,
		// Accept-Language is only a hint: we offer the other language, never redirect.
		suggestedLocale: preferred && preferred !== getLocale() ? preferred : null
	};
};
