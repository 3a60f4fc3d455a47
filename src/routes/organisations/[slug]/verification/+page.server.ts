import { redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/paraglide/runtime';
import { formFailure, parseForm } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import * as verification from '$lib/server/verification';
import { organisationFor } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { db, organisation } = organisationFor(event, 'organisation:request_verification');
	return {
		organisation: {
			slug: organisation.slug,
			name: organisation.name,
			website: organisation.website,
			state: organisation.verificationState
		},
		latest: verification.latestRequest(db, organisation.id),
		noteMax: verification.NOTE_MAX
	};
};

export const actions: Actions = {
	request: async (event) => {
		const { db, user, organisation } = organisationFor(event, 'organisation:request_verification');
		const parsed = parseForm(verification.requestInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		try {
			verification.requestVerification(db, {
				organisationId: organisation.id,
				requestedBy: user.id,
				...parsed.data
			});
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref(`/organisations/${organisation.slug}/verification`));
	}
};
