import { describe, expect, it } from 'vitest';
import { subregionsByRegion, type RegionCode } from '$lib/vocab/regions';
import { countryRecords, isDevelopingCountry, isLowIncomeOrLdc, referenceDates } from './reference';

describe('db/reference/countries.json', () => {
	it('has every ISO 3166-1 country once, plus Kosovo', () => {
		expect(countryRecords).toHaveLength(250);
		for (const key of ['alpha2', 'alpha3', 'numeric'] as const) {
			expect(new Set(countryRecords.map((c) => c[key])).size, key).toBe(250);
		}
		for (const country of countryRecords) {
			expect(country.alpha2).toMatch(/^[A-Z]{2}$/);
			expect(country.alpha3).toMatch(/^[A-Z]{3}$/);
			expect(country.numeric).toMatch(/^\d{3}$/);
			expect(country.nameEn).toMatch(/\S/);
			expect(country.nameFr).toMatch(/\S/);
		}
	});

	it('places every country in a known region and one of its sub-regions', () => {
		for (const country of countryRecords) {
			const subregions = subregionsByRegion[country.regionCode as RegionCode] as
				readonly string[] | undefined;
			expect(subregions, country.alpha2).toBeDefined();
			expect(subregions, country.alpha2).toContain(country.subregionCode);
		}
	});

	it('follows the FY2026 World Bank classification and the 44-country UN LDC list', () => {
		expect(referenceDates).toEqual({
			incomeClassification: 'FY2026',
			incomeClassificationDate: '2025-07-01',
			ldcListDate: '2024-12-13'
		});
		const count = (group: string | null) =>
			countryRecords.filter((c) => c.incomeGroup === group).length;
		expect(count('L')).toBe(26);
		expect(count('LM')).toBe(50);
		expect(count('UM')).toBe(54);
		// 87 economies; the World Bank's "Channel Islands" are two ISO entries (Jersey, Guernsey).
		expect(count('H')).toBe(88);
		expect(countryRecords.filter((c) => c.isLdc)).toHaveLength(44);
		// Every LDC is a low or middle income country.
		for (const c of countryRecords.filter((c) => c.isLdc)) {
			expect(['L', 'LM', 'UM'], c.alpha2).toContain(c.incomeGroup);
		}
	});
});

describe('derived development status', () => {
	it('counts low and middle income countries and LDCs as developing', () => {
		expect(isDevelopingCountry({ incomeGroup: 'L', isLdc: true })).toBe(true);
		expect(isDevelopingCountry({ incomeGroup: 'UM', isLdc: false })).toBe(true);
		expect(isDevelopingCountry({ incomeGroup: 'H', isLdc: false })).toBe(false);
		expect(isDevelopingCountry({ incomeGroup: null, isLdc: false })).toBe(false);
		expect(isDevelopingCountry({ incomeGroup: null, isLdc: true })).toBe(true);
	});

	it('singles out low income countries and LDCs', () => {
		expect(isLowIncomeOrLdc({ incomeGroup: 'LM', isLdc: true })).toBe(true);
		expect(isLowIncomeOrLdc({ incomeGroup: 'L', isLdc: false })).toBe(true);
		expect(isLowIncomeOrLdc({ incomeGroup: 'UM', isLdc: false })).toBe(false);
	});
});
