import { fail, redirect } from '@sveltejs/kit';
import { localizeHref } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import { emptyValues, valuesFromEcho, valuesFromQuery } from '../organisation-form';
import { cityChoices, formOptions } from '../organisation-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	authorize(actorOf(event.locals), 'organisation:create');
	const db = appDb();
	const searched = event.url.searchParams.get('step') === 'find-city';
	const values = searched ? valuesFromQuery(event.url.searchParams) : emptyValues;
	return {
		...formOptions(db),
		values,
		cities: cityChoices(db, values),
		searched
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		authorize(actorOf(event.locals), 'organisation:create');
		const db = appDb();
		const parsed = parseForm(organisations.organisationInput, await event.request.formData(), {
			arrays: organisations.organisationArrayFields
		});
		// The cities the user was choosing from come back too, so the picker keeps its list.
		const withCities = (failure: ReturnType<typeof formFailure>) =>
			fail(failure.status, {
				...failure.data,
				cities: cityChoices(db, valuesFromEcho(parsed.echo))
			});
		if (!parsed.success) return withCities(formFailure(400, parsed.echo, parsed.errors));
		let created: { slug: string };
		try {
			created = organisations.createOrganisation(db, user.id, parsed.data);
		} catch (error) {
			return withCities(organisations.ruleFailure(error, parsed.echo));
		}
		redirect(303, localizeHref(`/organisations/${created.slug}`));
	}
};
