import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizeHref } from '$lib/paraglide/runtime';
import * as accounts from '$lib/server/accounts';
import { rateLimitedFailure, requestContext } from '$lib/server/auth/form-actions';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { authorize } from '$lib/server/auth/policy';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';

/** Notices shown after a successful action, named in the redirect's query string. */
const notices = ['password', 'sessions', 'resent', 'verified'] as const;
type Notice = (typeof notices)[number];

function signedIn(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireUser(event);
	authorize(actorOf(event.locals), 'account:manage');
	const session = event.locals.session;
	if (!session) error(401);
	return { user, session };
}

export const load: PageServerLoad = (event) => {
	const { user } = signedIn(event);
	const account = accounts.getAccount(appDb(), user.id);
	if (!account) error(404);
	const done = event.url.searchParams.get('done');
	return {
		account: {
			name: account.name,
			email: account.email,
			siteRole: account.siteRole,
			emailVerifiedAt: account.emailVerifiedAt
		},
		notice: notices.includes(done as Notice) ? (done as Notice) : null
	};
};

export const actions: Actions = {
	changePassword: async (event) => {
		const { user, session } = signedIn(event);
		const parsed = parseForm(accounts.changePasswordSchema, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const result = await accounts.changePassword(
			appDb(),
			user.id,
			session.id,
			parsed.data,
			requestContext(event)
		);
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				return rateLimitedFailure(event, parsed.echo, result.retryAfterSeconds);
			}
			const field = result.reason === 'wrong_password' ? 'currentPassword' : 'newPassword';
			return formFailure(400, parsed.echo, { [field]: result.message });
		}
		redirect(303, localizeHref('/account?done=password'));
	},

	signOutOthers: (event) => {
		const { user, session } = signedIn(event);
		accounts.signOutOtherSessions(appDb(), user.id, session.id);
		redirect(303, localizeHref('/account?done=sessions'));
	},

	resendVerification: (event) => {
		const { user } = signedIn(event);
		const result = accounts.resendVerificationEmail(appDb(), user.id, requestContext(event));
		if (!result.ok && result.reason === 'rate_limited') {
			return rateLimitedFailure(event, {}, result.retryAfterSeconds);
		}
		redirect(303, localizeHref(result.ok ? '/account?done=resent' : '/account?done=verified'));
	}
};
