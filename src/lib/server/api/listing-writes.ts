/**
 * POST /api/v1/needs, /api/v1/offers and PUT …/{id}: the forms' validation and domain writes
 * behind a JSON body, for a signed-in session or an API token. A token writes only for its own
 * organisation. Answers carry the body GET answers for the record.
 */
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/auth/policy';
import { actorOf } from '$lib/server/auth/guards';
import type { Db } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import * as listingsApi from '$lib/server/needs-offers/api';
import { RuleError } from '$lib/server/organisations';
import { readJsonObject } from './json-body';
import { problem, zodProblem, type ProblemFieldError } from './problem';

type Kind = 'need' | 'offer';

const schemas = { need: listings.needInput, offer: listings.offerInput };
const fieldNames = {
	need: new Set(Object.keys(listings.needInput.shape)),
	offer: new Set(Object.keys(listings.offerInput.in.shape))
};
const collection = { need: 'needs', offer: 'offers' } as const;

type Writer = { actor: NonNullable<Actor>; tokenOrganisationId: string | null };

/** Who writes: the API token when there is one, else the session; null when neither. */
function writerOf(locals: App.Locals): Writer | null {
	if (locals.apiToken) {
		return { actor: locals.apiToken.actor, tokenOrganisationId: locals.apiToken.organisationId };
	}
	const actor = actorOf(locals);
	return actor ? { actor, tokenOrganisationId: null } : null;
}

const unauthenticated = () =>
	problem(
		401,
		'Sign in, or send an API token of the organisation as "Authorization: Bearer <token>".',
		[],
		{ 'www-authenticate': 'Bearer realm="CityBridge API"' }
	);

const otherOrganisation = () =>
	problem(403, m.apitokens_api_other_organisation(), [
		{ field: 'organisationId', message: m.apitokens_api_other_organisation() }
	]);

function ruleProblem(error: RuleError): Response {
	const errors: ProblemFieldError[] = Object.entries(error.errors).map(([field, message]) => ({
		field,
		message
	}));
	return problem(error.status, error.message, errors);
}

/** An unknown field is an error, so a misspelt optional field is never silently dropped. */
function unknownFieldErrors(kind: Kind, body: Record<string, unknown>): ProblemFieldError[] {
	return Object.keys(body)
		.filter((key) => !fieldNames[kind].has(key))
		.map((field) => ({ field, message: m.apitokens_api_unknown_field() }));
}

function recordBody(db: Db, actor: Actor, kind: Kind, id: string, origin: string) {
	if (kind === 'need') {
		const need = listings.getNeed(db, actor, id);
		return need ? listingsApi.needToApi(need, origin) : null;
	}
	const offer = listings.getOffer(db, actor, id);
	return offer ? listingsApi.offerToApi(offer, origin) : null;
}

async function parseBody(kind: Kind, request: Request, defaults: Record<string, unknown>) {
	const body = await readJsonObject(request);
	if (!body.ok) return { response: body.response };
	const unknown = unknownFieldErrors(kind, body.value);
	if (unknown.length) return { response: problem(400, 'Some fields are not known.', unknown) };
	const parsed = schemas[kind].safeParse({ ...defaults, ...body.value });
	if (!parsed.success) {
		return { response: zodProblem(parsed.error, 'Some fields are not valid.') };
	}
	return { data: parsed.data };
}

/** Runs a domain write; a broken rule becomes its problem, anything else is rethrown. */
function attempt(write: () => void): Response | null {
	try {
		write();
		return null;
	} catch (failure) {
		if (failure instanceof RuleError) return ruleProblem(failure);
		throw failure;
	}
}

/** POST: creates a need or an offer for `organisationId` (a token's own organisation by default). */
export async function createListing(
	db: Db,
	kind: Kind,
	request: Request,
	locals: App.Locals,
	origin: string
): Promise<Response> {
	const writer = writerOf(locals);
	if (!writer) return unauthenticated();
	const defaults = writer.tokenOrganisationId ? { organisationId: writer.tokenOrganisationId } : {};
	const parsed = await parseBody(kind, request, defaults);
	if (parsed.response) return parsed.response;
	const { organisationId } = parsed.data;
	if (writer.tokenOrganisationId && organisationId !== writer.tokenOrganisationId) {
		return otherOrganisation();
	}
	let id = '';
	const failed = attempt(() => {
		id =
			kind === 'need'
				? listings.createNeed(db, writer.actor, organisationId, parsed.data as listings.NeedInput)
						.id
				: listings.createOffer(db, writer.actor, organisationId, parsed.data as listings.OfferInput)
						.id;
	});
	if (failed) return failed;
	const location = new URL(`/api/v1/${collection[kind]}/${id}`, origin).toString();
	return json(recordBody(db, writer.actor, kind, id, origin), {
		status: 201,
		headers: { ...listingsApi.privateHeaders, location }
	});
}

/**
 * PUT: replaces a need's or an offer's content (its organisation and status stay). An id the
 * writer may not see is "not found"; one of another organisation is "forbidden".
 */
export async function replaceListing(
	db: Db,
	kind: Kind,
	id: string,
	request: Request,
	locals: App.Locals,
	origin: string
): Promise<Response> {
	const writer = writerOf(locals);
	if (!writer) return unauthenticated();
	const current = kind === 'need' ? listings.getNeed(db, writer.actor, id) : null;
	const currentOffer = kind === 'offer' ? listings.getOffer(db, writer.actor, id) : null;
	const record = current ?? currentOffer;
	if (!record) {
		return problem(404, `There is no ${kind} with this id that you may see.`);
	}
	const organisationId = record.organisation.id;
	if (writer.tokenOrganisationId && organisationId !== writer.tokenOrganisationId) {
		return otherOrganisation();
	}
	if (!record.canEdit) {
		return problem(403, m.needsoffers_not_member(), [
			{ field: 'organisationId', message: m.needsoffers_not_member() }
		]);
	}
	const parsed = await parseBody(kind, request, { organisationId });
	if (parsed.response) return parsed.response;
	if (parsed.data.organisationId !== organisationId) {
		return problem(400, 'Some fields are not valid.', [
			{ field: 'organisationId', message: m.apitokens_api_organisation_fixed() }
		]);
	}
	const failed = attempt(() =>
		kind === 'need'
			? listings.updateNeed(db, writer.actor, id, parsed.data as listings.NeedInput)
			: listings.updateOffer(db, writer.actor, id, parsed.data as listings.OfferInput)
	);
	if (failed) return failed;
	return json(recordBody(db, writer.actor, kind, id, origin), {
		headers: listingsApi.privateHeaders
	});
}
