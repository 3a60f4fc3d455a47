import { fail, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import { fieldErrors, type FieldErrors } from '$lib/server/forms';
import * as caseStudies from '$lib/server/case-studies';
import * as editor from '$lib/server/case-studies/editor';
import { caseStudyFromForm, editorErrors, type CaseStudyForm } from '$lib/server/case-studies/form';
import { RuleError } from '$lib/server/organisations';
import type {
	BlankRows,
	CaseEditorValues,
	CityChoice,
	PreviewField
} from '$lib/components/case-editor/values';

/** What every editor action answers besides its own result: the form as the user left it. */
export type EditorState = {
	values: CaseEditorValues;
	blankRows: BlankRows;
	cities: CityChoice[];
	citySearched?: boolean;
	preview?: PreviewField[];
	baseRevision?: number;
	/** After a conflict: the revision the user had opened, to compare with the newest. */
	conflictFrom?: number;
};

/** Reads the submitted editor form; `addRowsTo` comes from the "Add rows" button pressed. */
export async function readEditorForm(event: RequestEvent) {
	const formData = await event.request.formData();
	const group = formData.get('addRowsTo');
	const form = caseStudyFromForm(formData, typeof group === 'string' ? group : null);
	const organisation = formData.get('organisation');
	const baseRevision = formData.get('baseRevision');
	return {
		form,
		organisationSlug: typeof organisation === 'string' ? organisation : null,
		baseRevision:
			typeof baseRevision === 'string' && /^\d{1,9}$/.test(baseRevision)
				? Number(baseRevision)
				: undefined
	};
}

export function editorState(db: Db, form: CaseStudyForm): EditorState {
	return {
		values: form.values,
		blankRows: form.blankRows,
		cities: editor.cityChoices(db, form.values)
	};
}

/** The re-rendering actions shared by the new and edit pages (nothing is saved). */
export const rerender = {
	preview: (db: Db, form: CaseStudyForm) => ({
		...editorState(db, form),
		preview: editor.previewOf(form.values)
	}),
	addRows: (db: Db, form: CaseStudyForm) => editorState(db, form),
	findCity: (db: Db, form: CaseStudyForm) => ({ ...editorState(db, form), citySearched: true })
};

/** Validates the form; on failure the action answers 400 with a message per field. */
export function validateEditorForm(db: Db, form: CaseStudyForm, extra: Partial<EditorState> = {}) {
	const parsed = caseStudies.caseStudyInput.safeParse(form.input);
	if (parsed.success) return { success: true as const, data: parsed.data };
	return {
		success: false as const,
		failure: editorFailure(db, 400, form, fieldErrors(parsed.error), m.form_fix_errors(), extra)
	};
}

/** The one failure shape, `fail(status, { message, errors, values })`, plus the editor's state. */
export function editorFailure(
	db: Db,
	status: number,
	form: CaseStudyForm,
	errors: FieldErrors,
	message: string,
	extra: Partial<EditorState> = {}
) {
	return fail(status, {
		message,
		errors: editorErrors(errors),
		...editorState(db, form),
		...extra
	});
}

/** A broken rule of the domain (conflict, archived, unknown place) as an editor failure. */
export function ruleFailure(
	db: Db,
	error: unknown,
	form: CaseStudyForm,
	extra: Partial<EditorState> = {}
) {
	if (error instanceof RuleError) {
		return editorFailure(db, error.status, form, error.errors, error.message, extra);
	}
	throw error;
}
