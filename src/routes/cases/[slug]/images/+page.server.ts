import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { organisationContext } from '$lib/server/case-studies/access';
import * as images from '$lib/server/case-studies/images';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm, type FormEcho } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const imageId = z
	.string({ error: () => m.caseimages_not_found() })
	.min(1, { error: () => m.caseimages_not_found() })
	.max(64, { error: () => m.caseimages_not_found() });
const updateInput = images.imageTextInput.extend({ imageId });
const deleteInput = z.object({
	imageId,
	confirm: z.literal('yes', { error: () => m.caseimages_confirm_required() })
});

/**
 * The case named in the URL for a member of its organisation: signed out → login, hidden or
 * unknown → 404 (the same answer), someone else's case → 403.
 */
function caseFor(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	requireUser(event);
	const db = appDb();
	const actor = actorOf(event.locals);
	const found = images.visibleCaseBySlug(db, actor, event.params.slug);
	if (!found) error(404, m.cases_not_found());
	authorize(actor, 'case_study:edit', organisationContext(db, actor, found.organisationId));
	return { db, actor, found };
}

export const load: PageServerLoad = (event) => {
	const { db, found } = caseFor(event);
	return {
		caseStudy: {
			slug: found.slug,
			title: found.title,
			isArchived: found.workflowState === 'archived'
		},
		images: images
			.listImages(db, found.id)
			.map((image) => ({ ...image, size: images.formatBytes(image.bytes) })),
		maxFigures: images.MAX_FIGURES,
		maxFileBytes: images.maxFileBytes(),
		maxFileSize: images.formatBytes(images.maxFileBytes()),
		done: event.url.searchParams.get('done')
	};
};

const done = (slug: string, what: string) => localizeHref(`/cases/${slug}/images?done=${what}`);

/** The request body, or null when it was refused for its size (adapter-node's BODY_SIZE_LIMIT). */
async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (failure) {
		if ((failure as { status?: number }).status === 413) return null;
		// Not a form at all (a wrong content type, a cut-off body): answered as bad input.
		return new FormData();
	}
}

const tooBig = () =>
	formFailure(
		413,
		{ intent: 'upload' },
		{},
		m.caseimages_request_too_big({
			max: images.formatBytes(images.maxFileBytes())
		})
	);

export const actions: Actions = {
	upload: async (event) => {
		const { db, actor, found } = caseFor(event);
		const formData = await readForm(event.request);
		if (!formData) return tooBig();
		const parsed = parseForm(images.imageTextInput, formData);
		const echo: FormEcho = { ...parsed.echo, intent: 'upload' };
		const file = formData.get('file');
		const bytes =
			file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		if (!parsed.success) {
			const problem = images.fileProblem(bytes);
			return formFailure(400, echo, { ...parsed.errors, ...problem?.errors });
		}
		try {
			await images.addImage(db, actor, found.id, parsed.data, bytes);
		} catch (failure) {
			return organisations.ruleFailure(failure, echo);
		}
		redirect(303, done(found.slug, 'uploaded'));
	},
	update: async (event) => {
		const { db, actor, found } = caseFor(event);
		const parsed = parseForm(updateInput, (await readForm(event.request)) ?? new FormData());
		const echo: FormEcho = { ...parsed.echo, intent: 'update' };
		if (!parsed.success) return formFailure(400, echo, parsed.errors);
		const { imageId: id, ...text } = parsed.data;
		try {
			images.updateImage(db, actor, found.id, id, text);
		} catch (failure) {
			return organisations.ruleFailure(failure, echo);
		}
		redirect(303, done(found.slug, 'updated'));
	},
	delete: async (event) => {
		const { db, actor, found } = caseFor(event);
		const parsed = parseForm(deleteInput, (await readForm(event.request)) ?? new FormData());
		const echo: FormEcho = { ...parsed.echo, intent: 'delete' };
		if (!parsed.success) return formFailure(400, echo, parsed.errors);
		try {
			images.removeImage(db, actor, found.id, parsed.data.imageId);
		} catch (failure) {
			return organisations.ruleFailure(failure, echo);
		}
		redirect(303, done(found.slug, 'deleted'));
	}
};
