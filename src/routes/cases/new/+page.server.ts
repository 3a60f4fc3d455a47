import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import * as caseStudies from '$lib/server/case-studies';
import * as editor from '$lib/server/case-studies/editor';
import { defaultBlankRows, emptyValues } from '$lib/components/case-editor/values';
import {
	editorState,
	readEditorForm,
	rerender,
	ruleFailure,
	validateEditorForm
} from '../_editor/editor.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The organisation the case is written for: the one named, or the user's only one. Someone who
 * does not belong to the named organisation is refused (403), an unknown one is 404.
 */
function organisationFor(db: Db, actor: NonNullable<Actor>, slug: string | null) {
	if (!slug) {
		const writable = editor.writableOrganisations(db, actor);
		if (writable.length !== 1) return { organisation: null, choices: writable };
		slug = writable[0].slug;
	}
	const organisation = editor.organisationForCase(db, actor, slug);
	if (!organisation) error(404, m.caseeditor_organisation_not_found());
	authorize(actor, 'case_study:create', organisation.context);
	return { organisation, choices: [] };
}

export const load: PageServerLoad = (event) => {
	requireUser(event);
	const actor = actorOf(event.locals)!;
	const db = appDb();
	const { organisation, choices } = organisationFor(
		db,
		actor,
		event.url.searchParams.get('organisation') || null
	);
	const values = emptyValues({
		countryCode: organisation?.countryCode ?? '',
		cityId: organisation?.cityId === null || !organisation ? '' : String(organisation.cityId)
	});
	return {
		organisation: organisation && { slug: organisation.slug, name: organisation.name },
		choices: choices.map(({ slug, name }) => ({ slug, name })),
		options: editor.editorOptions(db),
		values,
		blankRows: defaultBlankRows,
		cities: editor.cityChoices(db, values)
	};
};

/** Every action first settles who writes for which organisation. */
async function prepare(event: RequestEvent) {
	requireUser(event);
	const actor = actorOf(event.locals)!;
	const db = appDb();
	const submitted = await readEditorForm(event);
	const slug = submitted.organisationSlug || event.url.searchParams.get('organisation') || null;
	const { organisation } = organisationFor(db, actor, slug);
	return { db, actor, organisation, ...submitted };
}

export const actions: Actions = {
	save: async (event) => {
		const { db, actor, organisation, form } = await prepare(event);
		if (!organisation) {
			return fail(400, {
				message: m.caseeditor_choose_organisation_first(),
				errors: { organisation: m.caseeditor_choose_organisation_first() },
				...editorState(db, form)
			});
		}
		const validated = validateEditorForm(db, form);
		if (!validated.success) return validated.failure;
		let created: { slug: string };
		try {
			created = caseStudies.createDraft(db, actor, {
				organisationId: organisation.id,
				input: validated.data
			});
		} catch (caught) {
			return ruleFailure(db, caught, form);
		}
		redirect(303, localizeHref(`/cases/${created.slug}?done=created`));
	},
	preview: async (event) => {
		const { db, form } = await prepare(event);
		return rerender.preview(db, form);
	},
	addRows: async (event) => {
		const { db, form } = await prepare(event);
		return rerender.addRows(db, form);
	},
	findCity: async (event) => {
		const { db, form } = await prepare(event);
		return rerender.findCity(db, form);
	}
};
