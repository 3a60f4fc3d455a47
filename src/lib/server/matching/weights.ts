/**
 * Every weight of the matching score, in one place. A need–offer score is the sum of the points
 * each criterion awards, out of 100; a criterion awards its full weight only on a perfect fit.
 * The shares follow what brokers at cooperation events look at first, and were checked against
 * the labelled set in tests/integration/match-quality.test.ts (precision at 3).
 */
export const needOfferWeights = {
	/**
	 * SDG 11 targets are the most precise statement of the problem (11.5 disasters vs 11.6 waste):
	 * the largest share.
	 */
	sdgTargets: 24,
	/**
	 * What the two texts say: catches the specific problem (flood sensors, bus rapid transit)
	 * that the tags only approximate.
	 */
	text: 18,
	/** SEJONG themes are broader than targets (six of them), so they say less on their own. */
	themes: 12,
	/**
	 * Cooperation types: at least one in common is required (an exclusion otherwise); covering all
	 * the kinds of help the city asks for is worth more.
	 */
	cooperation: 12,
	/**
	 * Serving the city's country is a deliberate commitment; a sub-region or region less so; a
	 * global offer least (it serves everyone).
	 */
	geography: 10,
	/** Working in a language the city works in: without it, cooperation costs interpreters. */
	language: 10,
	/** Published case studies and completed partnerships on the same targets: proof of delivery. */
	trackRecord: 8,
	/** Offers reserved for the city's income group or for least developed countries fit best. */
	eligibility: 3,
	/** Places left and time to apply: a nearly full or closing offer is a weaker lead. */
	availability: 3
} as const;

export type NeedOfferCriterion = keyof typeof needOfferWeights;

/** Geography: the share of its weight by how precisely the offer names the city's place. */
export const geographyShares = { country: 1, subregion: 0.85, region: 0.7, global: 0.5 } as const;

/**
 * Tag overlap: `coverage` (the share of the need's tags the other side has) counts most; the rest
 * rewards focus (the share of the other side's tags that are the need's), so a specialist ranks
 * above an offer that ticks every box.
 */
export const overlapBlend = { coverage: 0.75, focus: 0.25 } as const;

/**
 * Cosine similarity of two TF-IDF vectors at which text relevance earns its full weight: short
 * texts about the same problem rarely pass 0.3.
 */
export const fullTextCosine = 0.3;

/** Track record points saturate: this many published case studies or completed partnerships
 *  (a completed partnership counts double) earn the full weight. */
export const fullTrackRecord = 3;
export const partnershipTrackRecordFactor = 2;

/** Eligibility: an offer open to everyone gets this share; one reserved for the city, all of it. */
export const openEligibilityShare = 0.5;

/** Availability: a single place left, or a deadline within this many days, halves the points. */
export const closingSoonDays = 30;

/**
 * Partners, case studies and peer needs are ranked on their own scales (out of 100) with the
 * same ideas: what matches the need, then proximity.
 */
export const partnerWeights = {
	sdgTargets: 35,
	themes: 15,
	trackRecord: 30,
	geography: 10,
	language: 10
} as const;

export const caseStudyWeights = {
	sdgTargets: 30,
	themes: 15,
	text: 25,
	/** Similar cities: same sub-region or region, and the same income group. */
	geography: 15,
	incomeGroup: 10,
	/** Other organisations reviewed or replicated it. */
	validations: 5
} as const;

export const peerNeedWeights = {
	sdgTargets: 35,
	themes: 15,
	text: 30,
	geography: 10,
	incomeGroup: 10
} as const;

/** Validations at which a case study's proof earns the full weight. */
export const fullValidations = 2;
