/**
 * Ids of the matchmaking vocabularies (issue 5): needs, offers, introductions and partnerships.
 * Stored in the database; labels come from messages. Safe for the browser.
 */

/** Who may see a need or an offer: everyone, or members of verified organisations only. */
export const listingVisibilities = ['public', 'verified'] as const;
export type ListingVisibility = (typeof listingVisibilities)[number];

export const needStatuses = ['open', 'in_discussion', 'matched', 'closed'] as const;
export type NeedStatus = (typeof needStatuses)[number];

/** When the city wants the cooperation to start. */
export const needTimeframes = ['within_3_months', 'within_12_months', 'over_12_months'] as const;
export type NeedTimeframe = (typeof needTimeframes)[number];

export const offerStatuses = ['open', 'closed'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

export const offerFormats = [
	'training',
	'technical_assistance',
	'study_visit',
	'peer_exchange',
	'twinning',
	'grant',
	'loan',
	'expert_secondment',
	'software_or_data',
	'other'
] as const;
export type OfferFormat = (typeof offerFormats)[number];

export const introductionStatuses = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export type IntroductionStatus = (typeof introductionStatuses)[number];

/** proposed → agreed → active → completed, or discontinued (with a reason) from any open state. */
export const partnershipStatuses = [
	'proposed',
	'agreed',
	'active',
	'completed',
	'discontinued'
] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

/** A party's role, close to IATI's organisation roles so the export maps one to one. */
export const partyRoles = ['beneficiary', 'lead', 'implementing', 'funding', 'advisory'] as const;
export type PartyRole = (typeof partyRoles)[number];
