import { describe, expect, it } from 'vitest';
import en from '../../../messages/vocab/en.json';
import fr from '../../../messages/vocab/fr.json';
import { organisationKinds as schemaKinds } from '$lib/server/db/schema';
import {
	beneficiaryGroupLabel,
	cooperationTypeLabel,
	domainLabel,
	fundingModelLabel,
	incomeGroupLabel,
	kindLabel,
	labelsInEveryLocale,
	regionLabel,
	sdgTargetLabel,
	subregionLabel,
	technologyLabel,
	themeLabel
} from './labels';
import { regionCodes, subregionCodes, subregionsByRegion } from './regions';
import { sdgTargetIds } from './sdg';
import { themeIds } from './themes';
import {
	beneficiaryGroups,
	cooperationTypes,
	fundingModels,
	incomeGroups,
	organisationKinds,
	serviceDomains,
	technologies
} from './vocabularies';

const vocabularies = [
	['themes', themeIds, themeLabel],
	['SDG targets', sdgTargetIds, sdgTargetLabel],
	['cooperation types', cooperationTypes, cooperationTypeLabel],
	['domains', serviceDomains, domainLabel],
	['technologies', technologies, technologyLabel],
	['funding models', fundingModels, fundingModelLabel],
	['beneficiary groups', beneficiaryGroups, beneficiaryGroupLabel],
	['organisation kinds', organisationKinds, kindLabel],
	['regions', regionCodes, regionLabel],
	['sub-regions', subregionCodes, subregionLabel],
	['income groups', incomeGroups, incomeGroupLabel]
] as const;

describe('vocabulary labels', () => {
	it.each(vocabularies)('labels every one of the %s in English and French', (_name, ids, label) => {
		const fn = label as (id: string, locale?: 'en' | 'fr') => string;
		const english = ids.map((id) => fn(id, 'en'));
		const french = ids.map((id) => fn(id, 'fr'));
		for (const [index, id] of ids.entries()) {
			expect(english[index], id).toMatch(/\S/);
			expect(french[index], id).toMatch(/\S/);
			expect(english[index], id).not.toBe(id);
		}
		// Two ids never share a label, so a list or a filter never shows the same words twice.
		expect(new Set(english).size).toBe(ids.length);
		expect(new Set(french).size).toBe(ids.length);
	});

	it('has ids that are unique and stable in form', () => {
		for (const [name, ids] of vocabularies) {
			expect(new Set(ids).size, name).toBe(ids.length);
		}
		for (const ids of [
			cooperationTypes,
			serviceDomains,
			technologies,
			fundingModels,
			beneficiaryGroups
		]) {
			for (const id of ids) expect(id).toMatch(/^[a-z][a-z_]*[a-z]$/);
		}
	});

	it('reads known labels', () => {
		expect(domainLabel('water_sanitation', 'en')).toBe('Water and sanitation');
		expect(domainLabel('water_sanitation', 'fr')).toBe('Eau et assainissement');
		expect(kindLabel('ngo', 'en')).toBe('Non-governmental organisation');
		expect(regionLabel('002', 'fr')).toBe('Afrique');
		expect(subregionLabel('202', 'en')).toBe('Sub-Saharan Africa');
		expect(sdgTargetLabel('11.2', 'en')).toBe('Transport');
		expect(incomeGroupLabel('LM', 'en')).toBe('Lower-middle income');
	});

	it('uses the base language when no locale is given', () => {
		expect(themeLabel('S')).toBe('Sustainable and safe city');
	});

	it('shows an unknown code as itself and a missing income group as "not classified"', () => {
		expect(regionLabel('999', 'en')).toBe('999');
		expect(regionLabel('toString', 'en')).toBe('toString');
		expect(incomeGroupLabel(null, 'en')).toBe('Not classified');
		expect(incomeGroupLabel(undefined, 'fr')).toBe('Non classé');
		expect(incomeGroupLabel('XX', 'en')).toBe('Not classified');
	});

	it('gives a label in every site language at once', () => {
		expect(labelsInEveryLocale(technologyLabel, 'iot')).toEqual({
			en: 'Internet of things',
			fr: 'Internet des objets'
		});
	});
});

describe('vocabulary data', () => {
	it('keeps the organisation kinds equal to the database schema', () => {
		expect([...organisationKinds]).toEqual([...schemaKinds]);
	});

	it('puts every sub-region under exactly one region', () => {
		expect(Object.keys(subregionsByRegion).sort()).toEqual([...regionCodes].sort());
		expect(new Set(subregionCodes).size).toBe(subregionCodes.length);
	});

	it('has the same message keys in English and French, all translated', () => {
		expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
		for (const key of Object.keys(en)) {
			if (key === '$schema') continue;
			expect(fr[key as keyof typeof fr], key).toMatch(/\S/);
			expect(key, key).toMatch(/^vocab_/);
		}
	});
});
