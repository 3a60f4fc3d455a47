import { redirect } from '@sveltejs/kit';
import { getLocale, localizeHref } from '$lib/paraglide/runtime';
import { authorize, can } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';
import * as audit from '$lib/server/audit';
import * as organisations from '$lib/server/organisations';
import * as verification from '$lib/server/verification';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	const actor = actorOf(event.locals);
	authorize(actor, 'moderation:view');
	const db = appDb();
	const french = getLocale() === 'fr';
	return {
		pending: verification.pendingRequests(db).map((request) => ({
			id: request.id,
			createdAt: request.createdAt,
			officialEmail: request.officialEmail,
			evidenceUrl: request.evidenceUrl,
			note: request.note,
			organisationName: request.organisationName,
			organisationSlug: request.organisationSlug,
			organisationKind: request.organisationKind,
			website: request.website,
			countryName: french ? request.countryNameFr : request.countryNameEn,
			requesterName: request.requesterName,
			requesterEmail: request.requesterEmail,
			emailMatchesWebsite: request.emailMatchesWebsite
		})),
		canDecide: can(actor, 'verification:decide'),
		audit: can(actor, 'audit:view')
			? audit.recentEntries(db, 50).map((entry) => ({
					id: entry.id,
					action: entry.action,
					subjectType: entry.subjectType,
					subjectId: entry.subjectId,
					subjectName: entry.organisationName,
					subjectSlug: entry.organisationSlug,
					reason: typeof entry.detail?.reason === 'string' ? entry.detail.reason : null,
					actorName: entry.actorName,
					createdAt: entry.createdAt
				}))
			: [],
		reasonMax: verification.REASON_MAX,
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	decide: async (event) => {
		requireUser(event);
		const actor = actorOf(event.locals);
		authorize(actor, 'verification:decide');
		const parsed = parseForm(verification.decisionInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		try {
			verification.decide(appDb(), actor, parsed.data, { origin: config.origin });
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref(`/moderation?done=${parsed.data.decision}`));
	}
};
