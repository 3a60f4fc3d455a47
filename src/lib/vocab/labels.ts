import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { locales } from '$lib/paraglide/runtime';
import type { RegionCode, SubregionCode } from './regions';
import type { SdgTargetId } from './sdg';
import type { ThemeId } from './themes';
import type {
	BeneficiaryGroup,
	CooperationType,
	FundingModel,
	IncomeGroup,
	OrganisationKind,
	ServiceDomain,
	Technology
} from './vocabularies';

/**
 * Labels for the vocabularies, in the request's language unless `locale` is given. Functions that
 * take a code read from the database accept any string and show the code itself if it is unknown.
 */
type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const themeLabels: Record<ThemeId, Message> = {
	S: m.theme_S,
	E: m.theme_E,
	J: m.theme_J,
	O: m.theme_O,
	N: m.theme_N,
	G: m.theme_G
};

const sdgTargetLabels: Record<SdgTargetId, Message> = {
	'11.1': m.vocab_sdg_11_1,
	'11.2': m.vocab_sdg_11_2,
	'11.3': m.vocab_sdg_11_3,
	'11.4': m.vocab_sdg_11_4,
	'11.5': m.vocab_sdg_11_5,
	'11.6': m.vocab_sdg_11_6,
	'11.7': m.vocab_sdg_11_7,
	'11.a': m.vocab_sdg_11_a,
	'11.b': m.vocab_sdg_11_b,
	'11.c': m.vocab_sdg_11_c
};

const cooperationTypeLabels: Record<CooperationType, Message> = {
	knowledge_sharing: m.vocab_cooperation_knowledge_sharing,
	technological: m.vocab_cooperation_technological,
	regulatory: m.vocab_cooperation_regulatory,
	financial: m.vocab_cooperation_financial,
	capacity_building: m.vocab_cooperation_capacity_building,
	standards_development: m.vocab_cooperation_standards_development,
	cross_validation: m.vocab_cooperation_cross_validation
};

const domainLabels: Record<ServiceDomain, Message> = {
	governance: m.vocab_domain_governance,
	energy: m.vocab_domain_energy,
	environment: m.vocab_domain_environment,
	mobility: m.vocab_domain_mobility,
	health_care: m.vocab_domain_health_care,
	education: m.vocab_domain_education,
	culture: m.vocab_domain_culture,
	economy_jobs: m.vocab_domain_economy_jobs,
	safety: m.vocab_domain_safety,
	housing: m.vocab_domain_housing,
	water_sanitation: m.vocab_domain_water_sanitation,
	waste: m.vocab_domain_waste
};

const technologyLabels: Record<Technology, Message> = {
	ai: m.vocab_technology_ai,
	blockchain: m.vocab_technology_blockchain,
	big_data: m.vocab_technology_big_data,
	iot: m.vocab_technology_iot,
	digital_twin: m.vocab_technology_digital_twin,
	gis: m.vocab_technology_gis,
	open_data_platform: m.vocab_technology_open_data_platform,
	mobile_services: m.vocab_technology_mobile_services,
	cloud: m.vocab_technology_cloud
};

const fundingModelLabels: Record<FundingModel, Message> = {
	municipal_budget: m.vocab_funding_municipal_budget,
	national_grant: m.vocab_funding_national_grant,
	official_development_assistance: m.vocab_funding_official_development_assistance,
	multilateral_loan: m.vocab_funding_multilateral_loan,
	public_private_partnership: m.vocab_funding_public_private_partnership,
	private_investment: m.vocab_funding_private_investment,
	philanthropy: m.vocab_funding_philanthropy,
	regulatory_sandbox: m.vocab_funding_regulatory_sandbox
};

const beneficiaryGroupLabels: Record<BeneficiaryGroup, Message> = {
	women: m.vocab_beneficiary_women,
	children: m.vocab_beneficiary_children,
	older_persons: m.vocab_beneficiary_older_persons,
	persons_with_disabilities: m.vocab_beneficiary_persons_with_disabilities,
	low_income_residents: m.vocab_beneficiary_low_income_residents,
	migrants: m.vocab_beneficiary_migrants,
	informal_workers: m.vocab_beneficiary_informal_workers
};

const kindLabels: Record<OrganisationKind, Message> = {
	city: m.vocab_kind_city,
	national_government: m.vocab_kind_national_government,
	international_organisation: m.vocab_kind_international_organisation,
	ngo: m.vocab_kind_ngo,
	academia: m.vocab_kind_academia,
	private_sector: m.vocab_kind_private_sector,
	expert_practice: m.vocab_kind_expert_practice
};

const regionLabels: Record<RegionCode, Message> = {
	'002': m.vocab_region_002,
	'019': m.vocab_region_019,
	'142': m.vocab_region_142,
	'150': m.vocab_region_150,
	'009': m.vocab_region_009,
	'010': m.vocab_region_010
};

const subregionLabels: Record<SubregionCode, Message> = {
	'015': m.vocab_subregion_015,
	'202': m.vocab_subregion_202,
	'419': m.vocab_subregion_419,
	'021': m.vocab_subregion_021,
	'143': m.vocab_subregion_143,
	'030': m.vocab_subregion_030,
	'035': m.vocab_subregion_035,
	'034': m.vocab_subregion_034,
	'145': m.vocab_subregion_145,
	'151': m.vocab_subregion_151,
	'154': m.vocab_subregion_154,
	'039': m.vocab_subregion_039,
	'155': m.vocab_subregion_155,
	'053': m.vocab_subregion_053,
	'054': m.vocab_subregion_054,
	'057': m.vocab_subregion_057,
	'061': m.vocab_subregion_061,
	'010': m.vocab_subregion_010
};

const incomeGroupLabels: Record<IncomeGroup, Message> = {
	L: m.vocab_income_L,
	LM: m.vocab_income_LM,
	UM: m.vocab_income_UM,
	H: m.vocab_income_H
};

function lookup<K extends string>(labels: Record<K, Message>, id: string, locale?: Locale) {
	const message = Object.hasOwn(labels, id) ? labels[id as K] : undefined;
	return message ? message({}, locale ? { locale } : {}) : id;
}

export const themeLabel = (id: ThemeId, locale?: Locale) => lookup(themeLabels, id, locale);
export const sdgTargetLabel = (id: SdgTargetId, locale?: Locale) =>
	lookup(sdgTargetLabels, id, locale);
export const cooperationTypeLabel = (id: CooperationType, locale?: Locale) =>
	lookup(cooperationTypeLabels, id, locale);
export const domainLabel = (id: ServiceDomain, locale?: Locale) => lookup(domainLabels, id, locale);
export const technologyLabel = (id: Technology, locale?: Locale) =>
	lookup(technologyLabels, id, locale);
export const fundingModelLabel = (id: FundingModel, locale?: Locale) =>
	lookup(fundingModelLabels, id, locale);
export const beneficiaryGroupLabel = (id: BeneficiaryGroup, locale?: Locale) =>
	lookup(beneficiaryGroupLabels, id, locale);
export const kindLabel = (id: OrganisationKind, locale?: Locale) => lookup(kindLabels, id, locale);
/** M49 region by code, e.g. '002' → "Africa". */
export const regionLabel = (code: string, locale?: Locale) => lookup(regionLabels, code, locale);
/** M49 sub-region by code, e.g. '202' → "Sub-Saharan Africa". */
export const subregionLabel = (code: string, locale?: Locale) =>
	lookup(subregionLabels, code, locale);

/** World Bank income group; null (or an unknown value) reads "Not classified". */
export function incomeGroupLabel(id: string | null | undefined, locale?: Locale): string {
	const options = locale ? { locale } : {};
	if (id && Object.hasOwn(incomeGroupLabels, id)) {
		return incomeGroupLabels[id as IncomeGroup]({}, options);
	}
	return m.vocab_income_unclassified({}, options);
}

export const ldcLabel = (locale?: Locale) => m.vocab_ldc({}, locale ? { locale } : {});
export const developingLabel = (locale?: Locale) =>
	m.vocab_developing({}, locale ? { locale } : {});

/** One label in every site language, e.g. `{ en: 'Energy', fr: 'Énergie' }`, for the API. */
export function labelsInEveryLocale<Id>(
	label: (id: Id, locale?: Locale) => string,
	id: Id
): Record<Locale, string> {
	return Object.fromEntries(locales.map((locale) => [locale, label(id, locale)])) as Record<
		Locale,
		string
	>;
}
