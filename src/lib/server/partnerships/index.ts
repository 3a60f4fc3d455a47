/**
 * Introductions and partnerships (issue 5): from a match, one side asks to be introduced; the
 * other accepts (a partnership is proposed) or declines; the partnership is then followed from
 * proposal to results by its parties. Import as `import * as partnerships from
 * '$lib/server/partnerships'`.
 */
export { requestIntroduction, respondToIntroduction, withdrawIntroduction } from './introductions';
export { introductionChoices, introductionsFor, type IntroductionItem } from './introduction-lists';
export {
	introductionStatusLabel,
	needTakesIntroductions,
	offerTakesIntroductions
} from './introduction-rows';
export {
	getPartnership,
	partnershipsOfOrganisation,
	transitions,
	type PartnershipDetail
} from './read';
export {
	facetSchemas,
	filterNames,
	listPartnerships,
	parseListFilters,
	type PartnershipCard,
	type PartnershipFilters
} from './list';
export {
	decodeCursor,
	encodeCursor,
	listPublicPartnerships,
	publicPartnership,
	type PublicPartnership
} from './public-records';
export { changeStatus, postUpdate, saveMilestones, saveResults, setConsent } from './write';
export { draftCaseStudyFrom, partnershipOfCaseStudy, partyRoleLabel } from './case-study';
export {
	isStale,
	sendStaleReminders,
	STALE_AFTER_MONTHS,
	STALE_REMINDER_INTERVAL_DAYS
} from './stale';
export * from './schema';
export { partnershipStatusLabel } from '$lib/server/notifications';
