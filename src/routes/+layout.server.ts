import type { LayoutServerLoad } from './$types';
import { getLocale, locales } from '$lib/paraglide/runtime';
import { preferredLocale } from '$lib/server/locale-hint';
import { appDb } from '$lib/server/db/app';
import * as notifications from '$lib/server/notifications';

export const load: LayoutServerLoad = ({ locals, request }) => {
	const preferred = preferredLocale(request.headers.get('accept-language'), locales);
	return {
		user: locals.user
			? { id: locals.user.id, name: locals.user.name, siteRole: locals.user.siteRole }
			: null,
		// One COUNT on an index (user, read_at): cheap enough for every page.
		unreadNotifications: locals.user ? notifications.unreadCount(appDb(), locals.user.id) : 0,
		// Accept-Language is only a hint: we offer the other language, never redirect.
		suggestedLocale: preferred && preferred !== getLocale() ? preferred : null
	};
};
