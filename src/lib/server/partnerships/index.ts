/**
 * Introductions and partnerships (issue 5): from a match, one side asks to be introduced; the
 * other accepts (a partnership is proposed) or declines; the partnership is then followed from
 * proposal to results by its parties. Import as `import * as partnerships from
 * '$lib/server/partnerships'`.
 */
export {
	introductionChoices,
	introductionStatusLabel,
	introductionsFor,
	needTakesIntroductions,
	offerTakesIntroductions,
	requestIntroduction,
	respondToIntroduction,
	withdrawIntroduction,
	type IntroductionItem
} from './introductions';
export {
	getPartnership,
	partnershipsOfOrganisation,
	transitions,
	type PartnershipDetail
} from './read';
export {
	decodeCursor,
	encodeCursor,
	filterNames,
	listPartnerships,
	listPublicPartnerships,
	parseListFilters,
	publicPartnership,
	type PartnershipCard,
	type PartnershipFilters,
	type PublicPartnership
} from './list';
export { changeStatus, postUpdate, saveMilestones, saveResults, setConsent } from './write';
export { draftCaseStudyFrom, partyRoleLabel } from './case-study';
export {
	isStale,
	sendStaleReminders,
	STALE_AFTER_MONTHS,
	STALE_REMINDER_INTERVAL_DAYS
} from './stale';
export * from './schema';
export { partnershipStatusLabel } from '$lib/server/notifications';
