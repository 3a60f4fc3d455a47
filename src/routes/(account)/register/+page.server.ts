import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizeHref } from '$lib/paraglide/runtime';
import * as accounts from '$lib/server/accounts';
import { rateLimitedFailure, requestContext } from '$lib/server/auth/form-actions';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, localizeHref('/account'));
	return {};
};

export const actions: Actions = {
	register: async (event) => {
		if (event.locals.user) redirect(303, localizeHref('/account'));
		const parsed = parseForm(accounts.registerSchema, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const result = await accounts.register(appDb(), parsed.data, requestContext(event));
		if (!result.ok) return rateLimitedFailure(event, parsed.echo, result.retryAfterSeconds);
		redirect(303, localizeHref('/register/check-email'));
	}
};
