import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizeHref } from '$lib/paraglide/runtime';
import * as sessions from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.user !== null });

export const actions: Actions = {
	// The header's logout button posts here, so this is the default action.
	default: ({ locals, cookies }) => {
		if (locals.session) sessions.invalidateSession(appDb(), locals.session.id);
		sessions.deleteSessionCookie(cookies, config.secureCookies);
		redirect(303, localizeHref('/'));
	}
};
