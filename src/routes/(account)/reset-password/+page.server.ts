import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import * as accounts from '$lib/server/accounts';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';

export const load: PageServerLoad = ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	return accounts.isResetTokenValid(appDb(), token)
		? { valid: true as const, token }
		: { valid: false as const, token: null };
};

export const actions: Actions = {
	// The form posts to ?token=…&/reset, so the token stays in the URL if the password is refused.
	reset: async ({ request, url }) => {
		const token = url.searchParams.get('token') ?? '';
		const parsed = parseForm(accounts.resetPasswordSchema, await request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const result = await accounts.resetPassword(appDb(), token, parsed.data.password);
		if (!result.ok) {
			if (result.reason === 'invalid_token')
				return formFailure(400, parsed.echo, {}, m.auth_reset_invalid());
			return formFailure(400, parsed.echo, { password: result.message });
		}
		redirect(303, localizeHref('/login?reset=1'));
	}
};
