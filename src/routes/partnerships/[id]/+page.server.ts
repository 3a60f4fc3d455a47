import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/auth/policy';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { formValues, type FormEcho } from '$lib/server/forms';
import * as openData from '$lib/server/open-data';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { REASON_MAX, UPDATE_MAX } from '$lib/server/partnerships/schema';
import { defaultBlankRows, rowsFromForm } from './rows.server';
import type { MilestoneRow, ResultRow, RowGroup } from './rows';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The partnership as the asker may see it: 404 when it is missing or hidden from them. */
function partnershipFor(event: Pick<RequestEvent, 'locals' | 'params'>) {
	const db = appDb();
	const actor = actorOf(event.locals);
	const found = partnerships.getPartnership(db, actor, event.params.id);
	if (!found) error(404, m.partnerships_not_found());
	return { db, actor, found };
}

/** For actions: only members of a party organisation may change anything (401/403 otherwise). */
function editablePartnership(event: RequestEvent) {
	const context = partnershipFor(event);
	const role = context.found.permissions.edit ? 'editor' : null;
	authorize(context.actor, 'partnership:edit', { organisationRole: role });
	return context;
}

const asText = (value: string | number | null | undefined) =>
	value === null || value === undefined ? '' : String(value);

const doneKinds = ['status', 'updates', 'milestones', 'results', 'consent'] as const;

export const load: PageServerLoad = (event) => {
	const { found } = partnershipFor(event);
	const done = event.url.searchParams.get('done');
	return {
		partnership: {
			id: found.id,
			title: found.title,
			descriptionHtml: found.description.trim() ? found.descriptionHtml : '',
			status: found.status,
			discontinuedReason: found.discontinuedReason,
			isPublic: found.isPublic,
			isStale: found.isStale,
			lastActivityAt: found.lastActivityAt,
			createdAt: found.createdAt,
			parties: found.parties.map((party) => ({
				organisationId: party.organisationId,
				slug: party.slug,
				name: party.name,
				role: party.role,
				consentsToPublish: party.consentsToPublish
			})),
			themes: found.themes,
			sdgTargets: found.sdgTargets,
			cooperationTypes: found.cooperationTypes,
			cameFrom: found.cameFrom,
			resultingCaseStudy: found.resultingCaseStudy,
			statusHistory: [
				{ status: 'proposed', at: found.createdAt },
				...found.history.map((change) => ({ status: change.to, at: change.at }))
			],
			// Newest first.
			updates: found.updates.map((update) => ({
				id: update.id,
				bodyHtml: update.bodyHtml,
				createdAt: update.createdAt,
				organisationName: update.organisationName
			})),
			history: found.history
				.map((change) => ({
					from: change.from,
					to: change.to,
					at: change.at,
					organisationName: change.organisationName,
					noteHtml: change.note.trim() ? change.noteHtml : ''
				}))
				.reverse(),
			milestones: found.milestones,
			results: found.results
		},
		permissions: found.permissions,
		limits: { body: UPDATE_MAX, reason: REASON_MAX },
		done: doneKinds.find((kind) => kind === done) ?? null,
		milestoneValues: found.milestones.map((row): MilestoneRow => ({
			title: row.title,
			dueOn: asText(row.dueOn),
			doneOn: asText(row.doneOn)
		})),
		resultValues: found.results.map((row): ResultRow => ({
			indicator: row.indicator,
			sdgIndicator: asText(row.sdgIndicator),
			baseline: row.baseline,
			result: row.result,
			unit: row.unit,
			year: asText(row.year),
			source: asText(row.source)
		})),
		blankRows: { milestones: defaultBlankRows, results: defaultBlankRows },
		jsonLd: openData.partnershipPageJsonLd(appDb(), found.id, config.origin)
	};
};

const backTo = (id: string, done: (typeof doneKinds)[number]) =>
	redirect(303, localizeHref(`/partnerships/${id}?done=${done}#${done}`));

/** A form's text fields as typed, with the form's name so the page knows which one failed. */
async function textFields(event: RequestEvent, intent: string, names: string[]) {
	const values = formValues(await event.request.formData());
	const fields: Record<string, string> = {};
	for (const name of names) {
		const value = values[name];
		fields[name] = typeof value === 'string' ? value : '';
	}
	const echo: FormEcho = { ...fields, intent };
	return { fields, echo };
}

/** Domain refusals become the page's error summary; anything else is a real error. */
function refusal(failure: unknown, echo: FormEcho, extra: Record<string, unknown> = {}) {
	if (!(failure instanceof organisations.RuleError)) throw failure;
	return fail(failure.status, {
		message: failure.message,
		errors: failure.errors,
		values: echo,
		...extra
	});
}

async function saveRows(event: RequestEvent, group: RowGroup) {
	const { db, actor, found } = editablePartnership(event);
	const { rows, blankRows } = rowsFromForm(await event.request.formData(), group);
	try {
		// The domain validates each row with its schema; these are the texts as typed.
		if (group === 'milestones') {
			partnerships.saveMilestones(db, actor, found.id, rows as partnerships.MilestoneInput[]);
		} else {
			partnerships.saveResults(db, actor, found.id, rows as partnerships.ResultRowInput[]);
		}
	} catch (failure) {
		return refusal(failure, { intent: group }, { rowsOf: group, rows, blankRows });
	}
	backTo(found.id, group);
}

export const actions: Actions = {
	status: async (event) => {
		const { db, actor, found } = editablePartnership(event);
		const { fields, echo } = await textFields(event, 'status', ['status', 'reason']);
		try {
			partnerships.changeStatus(db, actor, found.id, {
				to: fields.status as partnerships.StatusChange['to'],
				reason: fields.reason
			});
		} catch (failure) {
			if (failure instanceof organisations.RuleError && failure.errors.to) {
				failure.errors.status = failure.errors.to;
				delete failure.errors.to;
			}
			return refusal(failure, echo);
		}
		backTo(found.id, 'status');
	},
	update: async (event) => {
		const { db, actor, found } = editablePartnership(event);
		const { fields, echo } = await textFields(event, 'update', ['organisationId', 'body']);
		try {
			partnerships.postUpdate(db, actor, found.id, {
				organisationId: fields.organisationId,
				body: fields.body
			});
		} catch (failure) {
			return refusal(failure, echo);
		}
		backTo(found.id, 'updates');
	},
	milestones: (event) => saveRows(event, 'milestones'),
	results: (event) => saveRows(event, 'results'),
	/** "Add rows" without JavaScript: the same rows again with three more empty ones. */
	addRows: async (event) => {
		editablePartnership(event);
		const formData = await event.request.formData();
		const group: RowGroup = formData.get('addRowsTo') === 'milestones' ? 'milestones' : 'results';
		return { rowsOf: group, ...rowsFromForm(formData, group, true) };
	},
	consent: async (event) => {
		const { db, actor, found } = editablePartnership(event);
		const { fields, echo } = await textFields(event, 'consent', ['organisationId', 'consents']);
		try {
			partnerships.setConsent(db, actor, found.id, fields.organisationId, fields.consents);
		} catch (failure) {
			return refusal(failure, echo);
		}
		backTo(found.id, 'consent');
	},
	caseStudy: async (event) => {
		const { db, actor, found } = editablePartnership(event);
		let slug: string;
		try {
			({ slug } = partnerships.draftCaseStudyFrom(db, actor, found.id));
		} catch (failure) {
			return refusal(failure, { intent: 'caseStudy' });
		}
		redirect(303, localizeHref(`/cases/${slug}/edit`));
	}
};
