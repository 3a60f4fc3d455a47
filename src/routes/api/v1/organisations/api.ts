import * as lists from '$lib/server/api/lists';
import * as organisations from '$lib/server/organisations';

type ListRow = NonNullable<ReturnType<typeof organisations.apiRow>>;

/** One organisation as the API shows it: public fields only, codes rather than labels. */
export function toApi(row: ListRow, origin: string) {
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

const csvColumns = [
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

export function toCsv(items: ReturnType<typeof toApi>[]): string {
	return lists.toCsv(
		csvColumns,
		items.map((item) => ({
			...item,
			cityId: item.city?.id ?? null,
			cityName: item.city?.name ?? null
		}))
	);
}
