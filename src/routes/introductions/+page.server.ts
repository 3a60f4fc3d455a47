import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import { formFailure, formValues, type FormEcho } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { NOTE_MAX } from '$lib/server/partnerships/schema';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const doneKinds = ['requested', 'declined', 'withdrawn'] as const;

export const load: PageServerLoad = (event) => {
	requireUser(event);
	const { received, sent } = partnerships.introductionsFor(appDb(), actorOf(event.locals));
	const done = event.url.searchParams.get('done');
	return {
		received,
		sent,
		done: doneKinds.find((kind) => kind === done) ?? null,
		noteMax: NOTE_MAX
	};
};

/** The introduction named by the form, and what was typed (echoed back on failure). */
async function readForm(event: RequestEvent) {
	requireUser(event);
	const values = formValues(await event.request.formData());
	const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
	const echo: FormEcho = { introductionId: text('introductionId'), note: text('note') };
	const id = text('introductionId').trim();
	return { id, note: text('note'), echo, isValidId: id !== '' && id.length <= 100 };
}

async function respond(event: RequestEvent, decision: 'accept' | 'decline') {
	const { id, note, echo, isValidId } = await readForm(event);
	if (!isValidId) return formFailure(404, echo, {}, m.partnerships_introduction_not_found());
	let partnershipId: string | null;
	try {
		({ partnershipId } = partnerships.respondToIntroduction(appDb(), actorOf(event.locals), id, {
			decision,
			note
		}));
	} catch (failure) {
		return organisations.ruleFailure(failure, echo);
	}
	if (partnershipId) redirect(303, localizeHref(`/partnerships/${partnershipId}`));
	redirect(303, localizeHref('/introductions?done=declined'));
}

export const actions: Actions = {
	accept: (event) => respond(event, 'accept'),
	decline: (event) => respond(event, 'decline'),
	withdraw: async (event) => {
		const { id, echo, isValidId } = await readForm(event);
		if (!isValidId) return formFailure(404, echo, {}, m.partnerships_introduction_not_found());
		try {
			partnerships.withdrawIntroduction(appDb(), actorOf(event.locals), id);
		} catch (failure) {
			return organisations.ruleFailure(failure, echo);
		}
		redirect(303, localizeHref('/introductions?done=withdrawn'));
	}
};
