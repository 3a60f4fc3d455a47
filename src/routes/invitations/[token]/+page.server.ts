import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import { formFailure } from '$lib/server/forms';
import * as memberships from '$lib/server/memberships';
import * as organisations from '$lib/server/organisations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	authorize(actorOf(event.locals), 'organisation:accept_invitation');
	const invitation = memberships.invitationByToken(appDb(), event.params.token);
	if (!invitation) error(404, m.organisations_invitation_not_found());
	const now = Date.now();
	return {
		invitation: {
			organisationName: invitation.organisationName,
			organisationSlug: invitation.organisationSlug,
			role: invitation.role,
			email: invitation.email,
			expiresAt: invitation.expiresAt
		},
		problem: invitation.acceptedAt
			? m.organisations_invitation_used()
			: invitation.expiresAt.getTime() <= now
				? m.organisations_invitation_expired()
				: invitation.email !== user.email.toLowerCase()
					? m.organisations_invitation_other_email({ email: invitation.email })
					: null
	};
};

export const actions: Actions = {
	accept: async (event) => {
		const user = requireUser(event);
		authorize(actorOf(event.locals), 'organisation:accept_invitation');
		let slug: string;
		try {
			slug = memberships.acceptInvitation(appDb(), event.params.token, user).slug;
		} catch (failure) {
			if (failure instanceof organisations.RuleError) {
				return formFailure(failure.status, {}, {}, failure.message);
			}
			throw failure;
		}
		redirect(303, localizeHref(`/organisations/${slug}`));
	}
};
