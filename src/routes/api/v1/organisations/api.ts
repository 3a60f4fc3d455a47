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

/** RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
function csvCell(value: string | number | boolean | null | undefined): string {
	if (value === null || value === undefined) return '';
	let text = String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(items: ReturnType<typeof toApi>[]): string {
	const lines = [csvColumns.join(',')];
	for (const item of items) {
		const cells = {
			...item,
			cityId: item.city?.id ?? null,
			cityName: item.city?.name ?? null
		};
		lines.push(csvColumns.map((column) => csvCell(cells[column])).join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
