/** The API's view of an organisation, shared by /api/v1/organisations and the bulk files. */
import type { CsvCell } from '$lib/server/api/lists';
import * as organisations from '$lib/server/organisations';

type ListRow = NonNullable<ReturnType<typeof organisations.apiRow>>;

/** One organisation as the API shows it: public fields only, codes rather than labels. */
export function organisationToApi(row: ListRow, origin: string) {
	return {
		slug: row.slug,
		name: row.name,
		kind: row.kind,
		country: row.countryCode,
		countryName: row.countryNameEn,
		region: row.regionCode,
		regionName: row.regionName,
		incomeGroup: row.incomeGroup,
		verified: row.verificationState === 'verified',
		url: new URL(`/organisations/${row.slug}`, origin).toString(),
		city:
			row.cityId === null
				? null
				: {
						id: row.cityId,
						name: row.cityName,
						population: row.cityPopulation,
						latitude: row.cityLatitude,
						longitude: row.cityLongitude
					}
	};
}
export type ApiOrganisation = ReturnType<typeof organisationToApi>;

export const csvColumns = [
	'slug',
	'name',
	'kind',
	'country',
	'region',
	'incomeGroup',
	'verified',
	'url',
	'cityId',
	'cityName'
] as const;

/** The organisation's fields with its city flattened to an id and a name. */
export function csvRow(item: ApiOrganisation) {
	const { city, ...organisation } = item;
	return {
		...organisation,
		cityId: city?.id ?? null,
		cityName: city?.name ?? null
	} satisfies Record<string, CsvCell>;
}
