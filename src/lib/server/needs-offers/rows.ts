/** The columns and shapes shared by the list, detail and API readers. */
import { asc, inArray } from 'drizzle-orm';
import { getLocale } from '$lib/paraglide/runtime';
import * as table from '$lib/server/db/schema';
import type { Executor } from '$lib/server/organisations';

/** The posting organisation and its place, selected with every listing. */
export const organisationColumns = {
	id: table.organisation.id,
	slug: table.organisation.slug,
	name: table.organisation.name,
	kind: table.organisation.kind,
	verificationState: table.organisation.verificationState,
	countryCode: table.country.code,
	countryNameEn: table.country.nameEn,
	countryNameFr: table.country.nameFr,
	regionCode: table.country.regionCode,
	subregionCode: table.country.subregionCode,
	incomeGroup: table.country.incomeGroup,
	isLdc: table.country.isLdc,
	cityName: table.city.name
};

type OrganisationRow = {
	id: string;
	slug: string;
	name: string;
	kind: (typeof table.organisationKinds)[number];
	verificationState: (typeof table.verificationStates)[number];
	countryCode: string;
	countryNameEn: string;
	countryNameFr: string;
	regionCode: string;
	subregionCode: string;
	incomeGroup: 'L' | 'LM' | 'UM' | 'H' | null;
	isLdc: boolean;
	cityName: string | null;
};

/** The organisation as pages and matching read it (country name in the reader's language). */
export function organisationOf(row: OrganisationRow) {
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		kind: row.kind,
		isVerified: row.verificationState === 'verified',
		countryCode: row.countryCode,
		countryName: getLocale() === 'fr' ? row.countryNameFr : row.countryNameEn,
		regionCode: row.regionCode,
		subregionCode: row.subregionCode,
		incomeGroup: row.incomeGroup,
		isLdc: row.isLdc,
		cityName: row.cityName
	};
}
export type ListingOrganisation = ReturnType<typeof organisationOf>;

export type NeedTags = { themes: string[]; sdgTargets: string[]; cooperationTypes: string[] };
export type OfferTags = NeedTags & { regions: string[]; countries: string[] };

const fieldOfVocabulary: Record<string, keyof OfferTags> = {
	theme: 'themes',
	sdg_target: 'sdgTargets',
	cooperation: 'cooperationTypes',
	region: 'regions',
	country: 'countries'
};

/** The tags of some needs, grouped by need, in the order they were given (one query). */
export function needTagsOf(db: Executor, ids: string[]): Map<string, NeedTags> {
	const tags = new Map<string, NeedTags>(
		ids.map((id) => [id, { themes: [], sdgTargets: [], cooperationTypes: [] }])
	);
	if (ids.length === 0) return tags;
	for (const row of db
		.select({
			id: table.needTag.needId,
			vocabulary: table.needTag.vocabulary,
			value: table.needTag.value
		})
		.from(table.needTag)
		.where(inArray(table.needTag.needId, ids))
		.orderBy(asc(table.needTag.position))
		.all()) {
		const field = fieldOfVocabulary[row.vocabulary] as keyof NeedTags;
		tags.get(row.id)?.[field].push(row.value);
	}
	return tags;
}

export function offerTagsOf(db: Executor, ids: string[]): Map<string, OfferTags> {
	const tags = new Map<string, OfferTags>(
		ids.map((id) => [
			id,
			{ themes: [], sdgTargets: [], cooperationTypes: [], regions: [], countries: [] }
		])
	);
	if (ids.length === 0) return tags;
	for (const row of db
		.select({
			id: table.offerTag.offerId,
			vocabulary: table.offerTag.vocabulary,
			value: table.offerTag.value
		})
		.from(table.offerTag)
		.where(inArray(table.offerTag.offerId, ids))
		.orderBy(asc(table.offerTag.position))
		.all()) {
		tags.get(row.id)?.[fieldOfVocabulary[row.vocabulary]].push(row.value);
	}
	return tags;
}

export const isoDayOrNull = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
