/**
 * Needs (a city's request for cooperation) and offers (a partner's capacity-building offer):
 * validation, writes, reads, lists and the restricted visibility rule. Import as
 * `import * as listings from '$lib/server/needs-offers'`.
 */
export * from './schema';
export * from './filters';
export {
	canSee,
	isNeedExpired,
	isOfferExpired,
	needState,
	offerState,
	viewerOf,
	visibleTo,
	type Viewer
} from './access';
export * from './writes';
export * from './detail';
export * from './lists';
export type { ListingOrganisation, NeedTags, OfferTags } from './rows';
