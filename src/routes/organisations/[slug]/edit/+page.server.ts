import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { formFailure, parseForm } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import { valuesFromEcho, valuesFromQuery } from '../../organisation-form';
import { cityChoices, formOptions } from '../../organisation-form.server';
import { organisationFor } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { db, organisation } = organisationFor(event, 'organisation:edit');
	const searched = event.url.searchParams.get('step') === 'find-city';
	const stored = organisations.formValuesOf(db, organisation.id);
	if (!stored) error(404, m.organisations_not_found());
	const values = searched
		? valuesFromQuery(event.url.searchParams)
		: { ...stored, cityQuery: '', languages: [...stored.languages] };
	return {
		...formOptions(db),
		organisation: { slug: organisation.slug, name: organisation.name },
		values,
		cities: cityChoices(db, values),
		searched
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { db, user, organisation } = organisationFor(event, 'organisation:edit');
		const parsed = parseForm(organisations.organisationInput, await event.request.formData(), {
			arrays: organisations.organisationArrayFields
		});
		const withCities = (failure: ReturnType<typeof formFailure>) =>
			fail(failure.status, {
				...failure.data,
				cities: cityChoices(db, valuesFromEcho(parsed.echo))
			});
		if (!parsed.success) return withCities(formFailure(400, parsed.echo, parsed.errors));
		try {
			organisations.updateOrganisation(db, user.id, organisation.id, parsed.data);
		} catch (failure) {
			return withCities(organisations.ruleFailure(failure, parsed.echo));
		}
		redirect(303, localizeHref(`/organisations/${organisation.slug}`));
	}
};
