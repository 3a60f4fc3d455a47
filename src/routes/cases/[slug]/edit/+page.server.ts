import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import * as caseStudies from '$lib/server/case-studies';
import * as editor from '$lib/server/case-studies/editor';
import { organisationContext } from '$lib/server/case-studies/access';
import { valuesFromSnapshot } from '$lib/server/case-studies/form';
import { RuleError } from '$lib/server/organisations';
import { defaultBlankRows } from '$lib/components/case-editor/values';
import {
	readEditorForm,
	rerender,
	ruleFailure,
	validateEditorForm
} from '../../_editor/editor.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The case to edit: 404 when the actor may not see it (as on its page), 403 when they may see
 * it but not edit it (a published case of another organisation).
 */
function caseToEdit(db: Db, actor: NonNullable<Actor>, slug: string) {
	const found = editor.visibleCase(db, actor, slug);
	if (!found) error(404, m.cases_not_found());
	authorize(actor, 'case_study:edit', organisationContext(db, actor, found.organisationId));
	return found;
}

export const load: PageServerLoad = (event) => {
	requireUser(event);
	const actor = actorOf(event.locals)!;
	const db = appDb();
	const found = caseToEdit(db, actor, event.params.slug);
	const caseStudy = {
		slug: found.slug,
		title: found.title,
		workflowState: found.workflowState,
		organisation: found.organisation
	};
	if (found.workflowState === 'archived') {
		return { caseStudy, archived: true as const, options: editor.editorOptions(db) };
	}
	const { revision, values } = caseStudies.editorValues(db, found.id);
	const formValues = editor.withStakeholderSlugs(db, valuesFromSnapshot(values));
	return {
		caseStudy,
		archived: false as const,
		options: editor.editorOptions(db),
		values: formValues,
		baseRevision: revision,
		blankRows: defaultBlankRows,
		cities: editor.cityChoices(db, formValues)
	};
};

async function prepare(event: RequestEvent) {
	requireUser(event);
	const actor = actorOf(event.locals)!;
	const db = appDb();
	const found = caseToEdit(db, actor, event.params.slug);
	return { db, actor, found, ...(await readEditorForm(event)) };
}

export const actions: Actions = {
	save: async (event) => {
		const { db, actor, found, form, baseRevision } = await prepare(event);
		const validated = validateEditorForm(db, form, { baseRevision });
		if (!validated.success) return validated.failure;
		try {
			caseStudies.updateCaseStudy(db, actor, found.id, validated.data, { baseRevision });
		} catch (caught) {
			// After a conflict the form carries the newest revision, so saving again is deliberate.
			const conflict = caught instanceof RuleError && caught.code === 'conflict';
			return ruleFailure(db, caught, form, {
				baseRevision: conflict ? caseStudies.editorValues(db, found.id).revision : baseRevision,
				...(conflict && baseRevision !== undefined ? { conflictFrom: baseRevision } : {})
			});
		}
		redirect(303, localizeHref(`/cases/${found.slug}?done=saved`));
	},
	preview: async (event) => {
		const { db, form, baseRevision } = await prepare(event);
		return { ...rerender.preview(db, form), baseRevision };
	},
	addRows: async (event) => {
		const { db, form, baseRevision } = await prepare(event);
		return { ...rerender.addRows(db, form), baseRevision };
	},
	findCity: async (event) => {
		const { db, form, baseRevision } = await prepare(event);
		return { ...rerender.findCity(db, form), baseRevision };
	}
};
