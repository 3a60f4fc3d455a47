import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { regionCodes, subregionCodes } from './regions';
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

/** Zod enums for validating vocabulary ids in forms and API parameters, with a translated message. */
const choice = <const T extends readonly [string, ...string[]]>(ids: T) =>
	z.enum(ids, { error: () => m.vocab_invalid_choice() });

export const themeIdSchema = choice(themeIds);
export const sdgTargetIdSchema = choice(sdgTargetIds);
export const cooperationTypeSchema = choice(cooperationTypes);
export const serviceDomainSchema = choice(serviceDomains);
export const technologySchema = choice(technologies);
export const fundingModelSchema = choice(fundingModels);
export const beneficiaryGroupSchema = choice(beneficiaryGroups);
export const organisationKindSchema = choice(organisationKinds);
export const regionCodeSchema = choice(regionCodes);
export const subregionCodeSchema = choice(subregionCodes as [string, ...string[]]);
export const incomeGroupSchema = choice(incomeGroups);
