import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizeHref } from '$lib/paraglide/runtime';
import * as accounts from '$lib/server/accounts';
import { rateLimitedFailure, requestContext } from '$lib/server/auth/form-actions';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';

export const load: PageServerLoad = ({ url }) => ({ sent: url.searchParams.has('sent') });

export const actions: Actions = {
	request: async (event) => {
		const parsed = parseForm(accounts.forgotPasswordSchema, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const result = accounts.requestPasswordReset(appDb(), parsed.data.email, requestContext(event));
		if (!result.ok) return rateLimitedFailure(event, parsed.echo, result.retryAfterSeconds);
		redirect(303, localizeHref('/forgot-password?sent=1'));
	}
};
