/**
 * The server side of the new and edit pages of needs and offers: the two kinds differ only in
 * their domain functions, so each page's `+page.server.ts` takes its load and actions from here.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { appDb } from '$lib/server/db/app';
import { parseForm, type FieldErrors, type FormEcho } from '$lib/server/forms';
import * as listings from '$lib/server/needs-offers';
import type { NeedStatus, OfferStatus } from '$lib/vocab/matchmaking';
import type { ListingKind } from './labels';
import {
	listingFailure,
	listingLimits,
	listingOptions,
	listingPreview,
	listingRuleFailure,
	postingOrganisations
} from './listing-pages.server';
import type { ListingValues } from './values';

const numberText = (value: number | null | undefined) => (value == null ? '' : String(value));

/** The two kinds side by side: their schema, domain functions and where their pages live. */
const kinds = {
	need: {
		path: '/needs',
		input: listings.needInput,
		arrays: listings.needArrayFields,
		statusSchema: listings.needStatusSchema,
		get: (db: Db, actor: Actor, id: string) => listings.getNeed(db, actor, id),
		create: (db: Db, actor: NonNullable<Actor>, organisationId: string, input: unknown) =>
			listings.createNeed(db, actor, organisationId, input as listings.NeedInput),
		update: (db: Db, actor: NonNullable<Actor>, id: string, input: unknown) =>
			listings.updateNeed(db, actor, id, input as listings.NeedInput),
		setStatus: (db: Db, actor: NonNullable<Actor>, id: string, status: string) =>
			listings.setNeedStatus(db, actor, id, status as NeedStatus),
		notFound: () => m.needsoffers_need_not_found(),
		blank: (): ListingValues => ({
			visibility: 'public',
			expiresOn: listings.defaultExpiresOn()
		})
	},
	offer: {
		path: '/offers',
		input: listings.offerInput,
		arrays: listings.offerArrayFields,
		statusSchema: listings.offerStatusSchema,
		get: (db: Db, actor: Actor, id: string) => listings.getOffer(db, actor, id),
		create: (db: Db, actor: NonNullable<Actor>, organisationId: string, input: unknown) =>
			listings.createOffer(db, actor, organisationId, input as listings.OfferInput),
		update: (db: Db, actor: NonNullable<Actor>, id: string, input: unknown) =>
			listings.updateOffer(db, actor, id, input as listings.OfferInput),
		setStatus: (db: Db, actor: NonNullable<Actor>, id: string, status: string) =>
			listings.setOfferStatus(db, actor, id, status as OfferStatus),
		notFound: () => m.needsoffers_offer_not_found(),
		blank: (): ListingValues => ({ visibility: 'public' })
	}
} as const;

/** Reads the posted form: validated input, or the field messages, and the echo either way. */
async function readForm(kind: ListingKind, event: RequestEvent) {
	const { input, arrays } = kinds[kind];
	const formData = await event.request.formData();
	return parseForm(input, formData, { arrays: [...arrays] });
}

/**
 * The organisation field of a new listing: chosen (400), a city for a need (400), and one the
 * user is a member of (403, as the domain answers anyone posting for someone else's).
 */
function organisationProblem(
	db: Db,
	actor: NonNullable<Actor>,
	kind: ListingKind,
	echo: FormEcho
): { status: 400 | 403; message: string } | null {
	const chosen = typeof echo.organisationId === 'string' ? echo.organisationId : '';
	if (!chosen) return { status: 400, message: m.needsoffers_organisation_required() };
	const { allowed, notCities } = postingOrganisations(db, actor, kind);
	if (allowed.some((organisation) => organisation.id === chosen)) return null;
	const other = notCities.find((organisation) => organisation.id === chosen);
	if (other) return { status: 400, message: m.needsoffers_need_not_city({ name: other.name }) };
	return { status: 403, message: m.needsoffers_not_member() };
}

/** `/needs/new` and `/offers/new`: signed-in members post for one of their organisations. */
export function newListingPage(kind: ListingKind) {
	const load = (event: RequestEvent) => {
		requireUser(event);
		const actor = actorOf(event.locals)!;
		const db = appDb();
		const { allowed, notCities } = postingOrganisations(db, actor, kind);
		const wanted = event.url.searchParams.get('organisation');
		const preselected =
			allowed.find((organisation) => organisation.slug === wanted) ??
			(allowed.length === 1 ? allowed[0] : null);
		return {
			organisations: allowed.map(({ id, name }) => ({ id, name })),
			notCities: notCities.map(({ slug, name }) => ({ slug, name })),
			options: listingOptions(db),
			limits: listingLimits,
			values: { ...kinds[kind].blank(), organisationId: preselected?.id ?? '' }
		};
	};

	const actions = {
		create: async (event: RequestEvent) => {
			requireUser(event);
			const actor = actorOf(event.locals)!;
			const db = appDb();
			const parsed = await readForm(kind, event);
			const errors: FieldErrors = parsed.success ? {} : { ...parsed.errors };
			const organisation = organisationProblem(db, actor, kind, parsed.echo);
			if (organisation) errors.organisationId = organisation.message;
			else delete errors.organisationId;
			if (!parsed.success || organisation) {
				const refused = organisation?.status === 403;
				return listingFailure(
					refused ? 403 : 400,
					parsed.echo,
					errors,
					refused ? organisation.message : undefined
				);
			}
			let created: { id: string };
			try {
				created = kinds[kind].create(db, actor, parsed.data.organisationId, parsed.data);
			} catch (caught) {
				return listingRuleFailure(caught, parsed.echo);
			}
			redirect(303, localizeHref(`${kinds[kind].path}/${created.id}?done=created`));
		},
		preview: async (event: RequestEvent) => {
			requireUser(event);
			const parsed = await readForm(kind, event);
			return listingPreview(kind, parsed.echo);
		}
	};
	return { load, actions };
}

/**
 * The record to edit: 404 when the actor may not see it (as on its page), 403 when they may see
 * it but are not a member of its organisation.
 */
function listingToEdit(kind: ListingKind, event: RequestEvent) {
	requireUser(event);
	const actor = actorOf(event.locals)!;
	const db = appDb();
	const found = kinds[kind].get(db, actor, event.params.id ?? '');
	if (!found) error(404, kinds[kind].notFound());
	if (!found.canEdit) error(403, m.needspages_not_yours());
	return { db, actor, found };
}

/** The saved record as the form's values, so the edit form opens filled in. */
function valuesOf(
	kind: ListingKind,
	found: NonNullable<ReturnType<(typeof kinds)[ListingKind]['get']>>
) {
	if (kind === 'need' && 'challenge' in found) {
		return {
			title: found.title,
			challenge: found.challenge,
			triedSoFar: found.triedSoFar,
			themes: found.themes,
			sdgTargets: found.sdgTargets,
			cooperationTypes: found.cooperationTypes,
			languages: found.languages,
			timeframe: found.timeframe,
			budgetAmount: numberText(found.budgetAmount),
			budgetCurrency: found.budgetCurrency ?? '',
			visibility: found.visibility,
			expiresOn: found.expiresOn
		};
	}
	if ('description' in found) {
		return {
			title: found.title,
			description: found.description,
			format: found.format,
			themes: found.themes,
			sdgTargets: found.sdgTargets,
			cooperationTypes: found.cooperationTypes,
			isGlobal: found.isGlobal ? 'on' : '',
			regions: found.regions,
			countries: found.countries,
			languages: found.languages,
			capacity: numberText(found.capacity),
			eligibleIncomeGroups: found.eligibleIncomeGroups,
			onlyLeastDeveloped: found.onlyLeastDeveloped ? 'on' : '',
			deadline: found.deadlineOn ?? '',
			visibility: found.visibility
		};
	}
	return {};
}

/** `/needs/{id}/edit` and `/offers/{id}/edit`: members change the record or its status. */
export function editListingPage(kind: ListingKind) {
	const load = (event: RequestEvent) => {
		const { db, found } = listingToEdit(kind, event);
		return {
			listing: {
				id: found.id,
				title: found.title,
				status: found.status,
				organisation: { name: found.organisation.name }
			},
			options: listingOptions(db),
			limits: listingLimits,
			values: valuesOf(kind, found) as ListingValues
		};
	};

	const actions = {
		save: async (event: RequestEvent) => {
			const { db, actor, found } = listingToEdit(kind, event);
			const parsed = await readForm(kind, event);
			if (!parsed.success) {
				const { organisationId: _ignored, ...errors } = parsed.errors;
				return listingFailure(400, parsed.echo, errors);
			}
			try {
				kinds[kind].update(db, actor, found.id, parsed.data);
			} catch (caught) {
				return listingRuleFailure(caught, parsed.echo);
			}
			redirect(303, localizeHref(`${kinds[kind].path}/${found.id}?done=saved`));
		},
		preview: async (event: RequestEvent) => {
			listingToEdit(kind, event);
			const parsed = await readForm(kind, event);
			return listingPreview(kind, parsed.echo);
		},
		status: async (event: RequestEvent) => {
			const { db, actor, found } = listingToEdit(kind, event);
			const formData = await event.request.formData();
			const status = kinds[kind].statusSchema.safeParse(formData.get('status'));
			if (!status.success) {
				return fail(400, {
					statusMessage: status.error.issues[0]?.message ?? m.form_fix_errors(),
					statusValue: String(formData.get('status') ?? '').slice(0, 40)
				});
			}
			// Closing takes the record out of every list and match: it asks once more.
			if (status.data === 'closed' && formData.get('confirm') !== 'yes') {
				return { confirmClose: true };
			}
			try {
				kinds[kind].setStatus(db, actor, found.id, status.data);
			} catch (caught) {
				const failure = listingRuleFailure(caught, {});
				return fail(failure.status, {
					statusMessage: failure.data.message,
					statusValue: status.data
				});
			}
			redirect(303, localizeHref(`${kinds[kind].path}/${found.id}?done=status`));
		}
	};
	return { load, actions };
}
