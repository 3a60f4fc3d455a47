import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import * as accounts from '$lib/server/accounts';
import { rateLimitedFailure, requestContext } from '$lib/server/auth/form-actions';
import { safeRedirectTarget } from '$lib/server/auth/guards';
import * as sessions from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, localizeHref('/account'));
	return {
		redirectTo: safeRedirectTarget(url.searchParams.get('redirectTo'), ''),
		afterReset: url.searchParams.has('reset')
	};
};

export const actions: Actions = {
	login: async (event) => {
		const parsed = parseForm(accounts.loginSchema, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const db = appDb();
		const result = await accounts.authenticate(db, parsed.data, requestContext(event));
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				return rateLimitedFailure(event, parsed.echo, result.retryAfterSeconds);
			}
			return formFailure(400, parsed.echo, {}, m.auth_login_invalid());
		}
		// A login always starts a new session: the one this browser had (if any) ends here.
		if (event.locals.session) sessions.invalidateSession(db, event.locals.session.id);
		const { token, session } = accounts.startSession(db, result.userId);
		sessions.setSessionCookie(event.cookies, token, session.expiresAt, config.secureCookies);
		redirect(303, safeRedirectTarget(parsed.data.redirectTo, localizeHref('/account')));
	}
};
