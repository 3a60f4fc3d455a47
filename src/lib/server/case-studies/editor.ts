/**
 * What the case-study editor and the history pages need beyond the workflow: the case a slug
 * names (when the actor may see it), the organisations a user may write for, and the choices
 * the form offers, labelled in the reader's language.
 */
import { eq, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { languageCodes } from '$lib/server/organisations';
import * as places from '$lib/server/places';
import { renderMarkdown } from '$lib/server/markdown';
import {
	longTextFields,
	type CaseEditorValues,
	type CityChoice,
	type EditorOptions,
	type PreviewField
} from '$lib/components/case-editor/values';
import {
	beneficiaryGroupLabel,
	domainLabel,
	fundingModelLabel,
	sdgTargetLabel,
	technologyLabel,
	themeLabel
} from '$lib/vocab/labels';
import { sdgIndicatorIds, sdgTargetIds, type SdgIndicatorId } from '$lib/vocab/sdg';
import { sdgIndicatorTexts, sdgTargetText } from '$lib/vocab/sdg-texts';
import { themeIds } from '$lib/vocab/themes';
import {
	beneficiaryGroups,
	fundingModels,
	serviceDomains,
	technologies
} from '$lib/vocab/vocabularies';
import { organisationContext, permissionsOn, visibleCaseBySlug } from './access';
import { firstPublicRevision } from './revisions';
import {
	LONG_TEXT_MAX,
	ROWS_MAX,
	SHORT_TEXT_MAX,
	SUMMARY_MAX,
	TITLE_MAX,
	URL_MAX,
	licences
} from './schema';

/**
 * The case a slug names, with what the actor may do with it, or null when it does not exist or
 * the actor may not see it (the same visibility as the case page).
 */
export function visibleCase(db: Db, actor: Actor, slug: string) {
	const row = visibleCaseBySlug(db, actor, slug);
	if (!row) return null;
	const organisation = db
		.select({
			slug: table.organisation.slug,
			name: table.organisation.name
		})
		.from(table.organisation)
		.where(eq(table.organisation.id, row.organisationId))
		.get()!;
	const permissions = permissionsOn(db, actor, row);
	// The public sees a published case's history from the revision it was published with.
	const firstVisibleRevision =
		permissions.history || !row.publishedAt ? 1 : firstPublicRevision(db, row.id, row.publishedAt);
	return { ...row, organisation, permissions, firstVisibleRevision };
}
export type VisibleCase = NonNullable<ReturnType<typeof visibleCase>>;

/** The organisations the user may write case studies for (every membership role may). */
export function writableOrganisations(db: Db, actor: NonNullable<Actor>) {
	return db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			role: table.membership.role,
			verificationState: table.organisation.verificationState
		})
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.organisation.id, table.membership.organisationId))
		.where(eq(table.membership.userId, actor.id))
		.orderBy(table.organisation.name)
		.all()
		.filter((row) =>
			can(actor, 'case_study:create', {
				organisationRole: row.role,
				organisationVerified: row.verificationState === 'verified'
			})
		)
		.map(({ id, slug, name }) => ({ id, slug, name }));
}

/** The organisation named by a slug, with the place a new case defaults to. */
export function organisationForCase(db: Db, actor: Actor, slug: string) {
	const row = db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			countryCode: table.organisation.countryCode,
			cityId: table.organisation.cityId
		})
		.from(table.organisation)
		.where(eq(table.organisation.slug, slug))
		.get();
	if (!row) return null;
	return { ...row, context: organisationContext(db, actor, row.id) };
}

/**
 * Stakeholder organisations are stored by id when the demo seed wrote them; the editor shows
 * slugs, which is what people can read in a profile's address.
 */
export function withStakeholderSlugs(db: Db, values: CaseEditorValues): CaseEditorValues {
	const references = values.stakeholders.map((row) => row.organisation).filter(Boolean);
	if (!references.length) return values;
	const slugById = new Map(
		db
			.select({ id: table.organisation.id, slug: table.organisation.slug })
			.from(table.organisation)
			.where(inArray(table.organisation.id, references))
			.all()
			.map((row) => [row.id, row.slug])
	);
	return {
		...values,
		stakeholders: values.stakeholders.map((row) => ({
			...row,
			organisation: slugById.get(row.organisation) ?? row.organisation
		}))
	};
}

function placeLocale(): places.PlaceLocale {
	return getLocale() === 'fr' ? 'fr' : 'en';
}

/** The cities offered as radio buttons: the chosen one, then the search matches in the country. */
export function cityChoices(
	db: Db,
	values: Pick<CaseEditorValues, 'cityId' | 'cityQuery' | 'countryCode'>
): CityChoice[] {
	const locale = placeLocale();
	const label = (city: places.CitySummary) =>
		`${city.name}, ${city.countryName} (${new Intl.NumberFormat(getLocale()).format(city.population)})`;
	const choices: CityChoice[] = [];
	const chosen = /^\d{1,10}$/.test(values.cityId)
		? places.getCity(db, Number(values.cityId), locale)
		: null;
	if (chosen) choices.push({ id: String(chosen.id), label: label(chosen) });
	const query = values.cityQuery.trim().slice(0, places.maxCityQueryLength);
	if (query) {
		const countryCode = /^[A-Za-z]{2}$/.test(values.countryCode) ? values.countryCode : undefined;
		for (const city of places.searchCities(db, query, { countryCode, limit: 10, locale })) {
			if (city.id !== chosen?.id) choices.push({ id: String(city.id), label: label(city) });
		}
	}
	return choices;
}

const labelled = <Id extends string>(ids: readonly Id[], label: (id: Id) => string) =>
	ids.map((id) => ({ id, label: label(id) }));

/** Everything the form offers, labelled in the reader's language. */
export function editorOptions(db: Db): EditorOptions {
	const locale = getLocale();
	const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
	return {
		themes: labelled(themeIds, themeLabel),
		sdgTargets: sdgTargetIds.map((id) => ({
			id,
			label: sdgTargetLabel(id),
			text: sdgTargetText(id, locale)
		})),
		sdgIndicators: sdgIndicatorIds.map((id: SdgIndicatorId) => {
			const texts = sdgIndicatorTexts(id);
			return { id, text: texts[locale as keyof typeof texts] ?? texts.en };
		}),
		domains: labelled(serviceDomains, domainLabel),
		technologies: labelled(technologies, technologyLabel),
		beneficiaryGroups: labelled(beneficiaryGroups, beneficiaryGroupLabel),
		fundingModels: labelled(fundingModels, fundingModelLabel),
		statuses: [
			{ id: 'planned', label: m.cases_status_planned() },
			{ id: 'pilot', label: m.cases_status_pilot() },
			{ id: 'implemented', label: m.cases_status_implemented() },
			{ id: 'scaled', label: m.cases_status_scaled() }
		],
		languages: languageCodes
			.map((code) => ({ id: code, label: languageNames.of(code) ?? code }))
			.sort((a, b) => a.label.localeCompare(b.label, locale)),
		licences: licences.map((id) => ({ id, label: licenceLabel(id) })),
		countries: places
			.listCountries(db, placeLocale())
			.map((country) => ({ id: country.code, label: country.name })),
		limits: {
			title: TITLE_MAX,
			summary: SUMMARY_MAX,
			longText: LONG_TEXT_MAX,
			shortText: SHORT_TEXT_MAX,
			url: URL_MAX,
			rows: ROWS_MAX
		}
	};
}

function licenceLabel(id: (typeof licences)[number]): string {
	if (id === 'CC-BY-4.0') return m.caseeditor_licence_cc_by();
	if (id === 'CC-BY-SA-4.0') return m.caseeditor_licence_cc_by_sa();
	return m.caseeditor_licence_cc0();
}

/** The Markdown fields rendered as the case page will show them (sanitised). */
export function previewOf(values: CaseEditorValues): PreviewField[] {
	return longTextFields
		.filter((field) => values[field].trim() !== '')
		.map((field) => ({ field, html: renderMarkdown(values[field]) }));
}
