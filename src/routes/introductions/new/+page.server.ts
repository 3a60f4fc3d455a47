import { error, redirect } from '@sveltejs/kit';
import { eq, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import * as table from '$lib/server/db/schema';
import { formFailure, formValues } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { MESSAGE_MAX, MESSAGE_MIN } from '$lib/server/partnerships/schema';
import type { Actions, PageServerLoad } from './$types';

/** What the address (or the form repeating it) names: a need, an offer, a partner organisation. */
function subjectOf(params: URLSearchParams) {
	const text = (name: string) => {
		const value = params.get(name)?.trim() ?? '';
		return value.length > 0 && value.length <= 200 ? value : null;
	};
	return { needId: text('need'), offerId: text('offer'), toOrganisationSlug: text('organisation') };
}

/** The names and addresses of the organisations owning the listings shown. */
function organisationsById(db: Db, ids: string[]) {
	if (ids.length === 0) return new Map<string, { slug: string; name: string }>();
	const rows = db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name
		})
		.from(table.organisation)
		.where(
			ids.length === 1 ? eq(table.organisation.id, ids[0]) : inArray(table.organisation.id, ids)
		)
		.all();
	return new Map(rows.map((row) => [row.id, { slug: row.slug, name: row.name }]));
}

function pageData(event: { locals: App.Locals; url: URL }, params = event.url.searchParams) {
	requireUser(event);
	const db = appDb();
	const actor = actorOf(event.locals);
	const subject = subjectOf(params);
	const choices = partnerships.introductionChoices(db, actor, subject);
	const owners = [choices.need?.organisationId, choices.offer?.organisationId].filter(
		(id): id is string => id !== undefined
	);
	const names = organisationsById(db, owners);
	const sideOf = (listing: { id: string; title: string; organisationId: string } | null) => {
		const owner = listing ? names.get(listing.organisationId) : undefined;
		return listing && owner ? { id: listing.id, title: listing.title, organisation: owner } : null;
	};
	// The natural sender owns one side; a member of neither may still ask from any of theirs.
	const owning = choices.organisations.filter((organisation) => owners.includes(organisation.id));
	const requesters = owning.length ? owning : choices.organisations;
	const named = Object.values(subject).filter(Boolean).length;
	const found = [choices.need, choices.offer, choices.partner].filter(Boolean).length;
	return {
		db,
		actor,
		subject,
		sides: {
			need: sideOf(choices.need),
			offer: sideOf(choices.offer),
			partner: choices.partner ? { slug: choices.partner.slug, name: choices.partner.name } : null
		},
		requesters,
		// Something named is unknown or hidden, or there is neither a need nor an offer.
		isIncomplete: found < named || (!choices.need && !choices.offer)
	};
}

export const load: PageServerLoad = (event) => {
	const { sides, requesters, isIncomplete } = pageData(event);
	if (!sides.need && !sides.offer && !sides.partner) {
		error(404, m.partnershippages_request_nothing());
	}
	return {
		sides,
		requesters: requesters.map(({ id, name }) => ({ id, name })),
		isIncomplete,
		limits: { min: MESSAGE_MIN, max: MESSAGE_MAX }
	};
};

export const actions: Actions = {
	request: async (event) => {
		const formData = await event.request.formData();
		// The form repeats what the address names, so a post to a bare `?/request` works too.
		const params = new URLSearchParams(event.url.searchParams);
		for (const name of ['need', 'offer', 'organisation']) {
			const value = formData.get(name);
			if (typeof value === 'string' && value !== '') params.set(name, value);
		}
		const { db, actor, subject, isIncomplete } = pageData(event, params);
		const values = formValues(formData);
		const echo = { message: typeof values.message === 'string' ? values.message : '' };
		const fromOrganisationId = values.fromOrganisationId;
		if (typeof fromOrganisationId === 'string') Object.assign(echo, { fromOrganisationId });
		if (isIncomplete) return formFailure(404, echo, {}, m.partnershippages_request_nothing());
		try {
			partnerships.requestIntroduction(db, actor, {
				...subject,
				fromOrganisationId: fromOrganisationId as string,
				message: values.message as string
			});
		} catch (failure) {
			return organisations.ruleFailure(failure, echo);
		}
		redirect(303, localizeHref('/introductions?done=requested'));
	}
};
