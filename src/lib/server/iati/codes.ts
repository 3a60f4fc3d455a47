import type { OrganisationKind } from '$lib/vocab/vocabularies';
import type { PartnershipStatus, PartyRole } from '$lib/vocab/matchmaking';

/**
 * How CityBridge's vocabularies map onto the IATI 2.03 codelists the export uses. The reasons
 * are here because the codelists do not line up one to one.
 */

export const IATI_VERSION = '2.03';

/**
 * IATI ActivityStatus: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed,
 * 5 cancelled. An agreed partnership has not started yet (still being planned); a completed one
 * takes no further change (closed, not finalisation).
 */
export const activityStatusCode: Record<PartnershipStatus, string> = {
	proposed: '1',
	agreed: '1',
	active: '2',
	completed: '4',
	discontinued: '5'
};

/**
 * IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing. IATI has no
 * beneficiary role: the beneficiary city is the authority that owns the activity where it takes
 * place, which IATI publishers report as accountable (as a partner-country ministry); lead,
 * implementing and advisory partners all carry out the work (implementing).
 */
export const organisationRoleCode: Record<PartyRole, string> = {
	beneficiary: '2',
	lead: '4',
	implementing: '4',
	funding: '1',
	advisory: '4'
};

/**
 * IATI OrganisationType: 10 government, 11 local government, 21 international NGO, 40
 * multilateral, 70 private sector, 80 academic, training and research. Expert practices are
 * private consultancies; CityBridge does not record whether an NGO works internationally, and
 * its NGOs are mostly partners from abroad (21).
 */
export const organisationTypeCode: Record<OrganisationKind, string> = {
	city: '11',
	national_government: '10',
	international_organisation: '40',
	ngo: '21',
	academia: '80',
	private_sector: '70',
	expert_practice: '70'
};

/** The platform itself reports (and reproduces what its members record): type 90, other. */
export const REPORTING_ORG_TYPE = '90';

/** IATI ActivityDateType. */
export const activityDateType = {
	plannedStart: '1',
	actualStart: '2',
	plannedEnd: '3',
	actualEnd: '4'
} as const;

/**
 * Every partnership is city-to-partner cooperation on urban development: OECD DAC CRS purpose
 * code 43030 "Urban development and management" (SectorVocabulary 1, five-digit codes).
 */
export const urbanDevelopmentSector = { vocabulary: '1', code: '43030', percentage: '100' };

/** IATI TagVocabulary: 2 SDG goals, 3 SDG targets, 99 the reporting organisation's own. */
export const tagVocabulary = { sdgGoal: '2', sdgTarget: '3', reportingOrganisation: '99' } as const;

/** IATI IndicatorVocabulary 9: UN SDG indicators (codes such as 11.5.1). */
export const SDG_INDICATOR_VOCABULARY = '9';

/** IATI ResultType 2, outcome: a partnership result is a change measured by an indicator. */
export const RESULT_TYPE_OUTCOME = '2';

/** IATI IndicatorMeasure: 1 unit, 2 percentage, 5 qualitative. */
export const indicatorMeasure = { unit: '1', percentage: '2', qualitative: '5' } as const;

/** IATI DocumentCategory A12, activity web page: the partnership's public page. */
export const ACTIVITY_WEB_PAGE = 'A12';
