/**
 * The platform's controlled vocabularies (DESIGN.md). Ids are stable and stored in the database;
 * labels come from messages/vocab (see labels.ts). Safe for the browser.
 */

/** SEJONG Declaration paragraph 7. */
export const cooperationTypes = [
	'knowledge_sharing',
	'technological',
	'regulatory',
	'financial',
	'capacity_building',
	'standards_development',
	'cross_validation'
] as const;
export type CooperationType = (typeof cooperationTypes)[number];

/** SEJONG Declaration paragraph 6. */
export const serviceDomains = [
	'governance',
	'energy',
	'environment',
	'mobility',
	'health_care',
	'education',
	'culture',
	'economy_jobs',
	'safety',
	'housing',
	'water_sanitation',
	'waste'
] as const;
export type ServiceDomain = (typeof serviceDomains)[number];

export const technologies = [
	'ai',
	'blockchain',
	'big_data',
	'iot',
	'digital_twin',
	'gis',
	'open_data_platform',
	'mobile_services',
	'cloud'
] as const;
export type Technology = (typeof technologies)[number];

/** SEJONG Declaration paragraph 5e (mixed financing). */
export const fundingModels = [
	'municipal_budget',
	'national_grant',
	'official_development_assistance',
	'multilateral_loan',
	'public_private_partnership',
	'private_investment',
	'philanthropy',
	'regulatory_sandbox'
] as const;
export type FundingModel = (typeof fundingModels)[number];

/** SEJONG Declaration paragraph 5a (people-centred and inclusive). */
export const beneficiaryGroups = [
	'women',
	'children',
	'older_persons',
	'persons_with_disabilities',
	'low_income_residents',
	'migrants',
	'informal_workers'
] as const;
export type BeneficiaryGroup = (typeof beneficiaryGroups)[number];

/** The same ids as `organisationKinds` in the database schema (a unit test keeps them equal). */
export const organisationKinds = [
	'city',
	'national_government',
	'international_organisation',
	'ngo',
	'academia',
	'private_sector',
	'expert_practice'
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

/** World Bank income groups, lowest first. A country may have none (not classified). */
export const incomeGroups = ['L', 'LM', 'UM', 'H'] as const;
export type IncomeGroup = (typeof incomeGroups)[number];
