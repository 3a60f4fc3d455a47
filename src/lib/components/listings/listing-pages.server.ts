/**
 * What the needs and offers pages share on the server: the labelled choices of the forms, the
 * organisations a user may post for, form failures in the one shape, and the Markdown preview.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import { LONG_TEXT_MAX, TITLE_MAX } from '$lib/server/case-studies/schema';
import { formFailure, type FieldErrors, type FormEcho } from '$lib/server/forms';
import { renderMarkdown } from '$lib/server/markdown';
import * as listings from '$lib/server/needs-offers';
import { languageCodes, RuleError } from '$lib/server/organisations';
import * as places from '$lib/server/places';
import {
	cooperationTypeLabel,
	incomeGroupLabel,
	regionLabel,
	sdgTargetLabel,
	subregionLabel,
	themeLabel
} from '$lib/vocab/labels';
import { listingVisibilities, needTimeframes, offerFormats } from '$lib/vocab/matchmaking';
import { offerFormatLabel, timeframeLabel, visibilityLabel } from '$lib/vocab/matchmaking-labels';
import { regionCodes, subregionsByRegion } from '$lib/vocab/regions';
import { sdgTargetIds } from '$lib/vocab/sdg';
import { sdgTargetText } from '$lib/vocab/sdg-texts';
import { themeIds } from '$lib/vocab/themes';
import { cooperationTypes, incomeGroups } from '$lib/vocab/vocabularies';
import type { ListingKind } from './labels';
import type { ListingOptions, ListingValues } from './values';

/** The longest texts the forms accept (the hints say so; the domain's schema decides). */
export const listingLimits = { title: TITLE_MAX, markdown: LONG_TEXT_MAX };

const labelled = <Id extends string>(ids: readonly Id[], label: (id: Id) => string) =>
	ids.map((id) => ({ id, label: label(id) }));

/** Everything the need and offer forms offer, labelled in the reader's language. */
export function listingOptions(db: Db): ListingOptions {
	const locale = getLocale();
	const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
	return {
		themes: themeIds.map((id) => ({ id, label: `${id} · ${themeLabel(id)}` })),
		sdgTargets: sdgTargetIds.map((id) => ({
			id,
			label: `${id} ${sdgTargetLabel(id)}`,
			text: sdgTargetText(id, locale)
		})),
		cooperationTypes: labelled(cooperationTypes, cooperationTypeLabel),
		languages: languageCodes
			.map((code) => ({ id: code, label: languageNames.of(code) ?? code }))
			.sort((a, b) => a.label.localeCompare(b.label, locale)),
		timeframes: labelled(needTimeframes, timeframeLabel),
		formats: labelled(offerFormats, offerFormatLabel),
		// Regions people live in; Antarctica has no cities.
		regions: regionCodes
			.filter((code) => code !== '010')
			.map((code) => ({
				id: code,
				label: regionLabel(code),
				subregions: subregionsByRegion[code].map((sub) => ({ id: sub, label: subregionLabel(sub) }))
			})),
		countries: places
			.listCountries(db, locale === 'fr' ? 'fr' : 'en')
			.map((country) => ({ id: country.code, label: country.name })),
		incomeGroups: labelled(incomeGroups, (id) => incomeGroupLabel(id)),
		visibilities: labelled(listingVisibilities, visibilityLabel)
	};
}

/**
 * The organisations the user may post a need or an offer for. Needs come from city organisations
 * only, so for needs the user's other organisations are returned apart, to explain why.
 */
export function postingOrganisations(db: Db, actor: NonNullable<Actor>, kind: ListingKind) {
	const rows = listings.postingOrganisations(db, actor);
	const named = ({ id, slug, name }: (typeof rows)[number]) => ({ id, slug, name });
	return {
		allowed: rows.filter((row) => kind === 'offer' || row.canPostNeeds).map(named),
		notCities: kind === 'need' ? rows.filter((row) => !row.canPostNeeds).map(named) : []
	};
}

/** A group's messages ("themes.2": one bad value) are shown on the group ("themes"). */
function groupErrors(errors: FieldErrors): FieldErrors {
	const grouped: FieldErrors = {};
	for (const [path, message] of Object.entries(errors)) {
		const field = path.split('.')[0];
		grouped[field] ??= message;
	}
	return grouped;
}

/** The one failure shape, `fail(status, { message, errors, values })`, with group messages. */
export function listingFailure(
	status: number,
	echo: FormEcho,
	errors: FieldErrors = {},
	message: string = m.form_fix_errors()
) {
	return formFailure(status, echo, groupErrors(errors), message);
}

/** A broken rule of the domain (a non-city organisation, a stranger) as a form failure. */
export function listingRuleFailure(error: unknown, echo: FormEcho) {
	if (error instanceof RuleError) {
		return listingFailure(error.status, echo, error.errors, error.message);
	}
	throw error;
}

const markdownFields: Record<ListingKind, string[]> = {
	need: ['challenge', 'triedSoFar'],
	offer: ['description']
};

/** The Markdown fields as the record's page will show them; nothing is saved. */
export function listingPreview(kind: ListingKind, echo: FormEcho) {
	return {
		values: echo as ListingValues,
		preview: markdownFields[kind]
			.map((field) => ({ field, text: typeof echo[field] === 'string' ? echo[field] : '' }))
			.filter(({ text }) => text.trim() !== '')
			.map(({ field, text }) => ({
				field,
				html: renderMarkdown(text.slice(0, listingLimits.markdown))
			}))
	};
}
