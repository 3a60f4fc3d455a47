import type { PartnershipStatus } from '$lib/vocab/matchmaking';
import type { SdgTargetId } from '$lib/vocab/sdg';
import type { ThemeId } from '$lib/vocab/themes';
import type { CooperationType, IncomeGroup } from '$lib/vocab/vocabularies';

/**
 * The aggregates behind `/insights` and `GET /api/v1/stats` (issue 6): the contract between the
 * stats module, the page, the API, its OpenAPI description and the benchmark.
 *
 * Public figures only, the same for every viewer: published case studies, public needs and
 * offers, and partnerships every party agreed to publish. Restricted, unpublished and private
 * records are never counted, not even in a total.
 */

/** The four kinds of record the dashboards count. */
export const statsKinds = ['case_study', 'need', 'offer', 'partnership'] as const;
export type StatsKind = (typeof statsKinds)[number];
export type KindCounts = Record<StatsKind, number>;

/**
 * Filters, kept in the URL with these names (`?region=002&theme=S&from=2024-01`). A repeated name
 * means any of its values; different names all apply.
 * - region: an M49 region or sub-region code; country filters are not offered (the map is).
 * - income: World Bank income group of the record's country.
 * - from / to: months `YYYY-MM`, inclusive, on the record's date (case study: published; need,
 *   offer: created; partnership: proposed).
 * - cooperation narrows needs, offers and partnerships; case studies carry no cooperation type
 *   and are not narrowed by it (the page says so).
 * A record's place: a case study's country; a need's city country; a partnership's beneficiary
 * country (else its lead's); an offer is placed where it serves (named countries, regions,
 * sub-regions; a global offer serves everywhere) and matches region and income filters by that.
 */
export type StatsFilters = {
	region?: string[];
	income?: IncomeGroup[];
	theme?: ThemeId[];
	sdg?: SdgTargetId[];
	cooperation?: CooperationType[];
	from?: string;
	to?: string;
};
export type StatsFilterName = keyof StatsFilters;

export type Headline = {
	caseStudies: number;
	/** Verified city organisations / verified organisations of every other kind. */
	cities: number;
	partners: number;
	/** Open and unexpired. */
	openNeeds: number;
	openOffers: number;
	partnerships: Record<PartnershipStatus, number> & { total: number };
	/** Distinct countries with a case study, a need or a partnership. */
	countriesReached: number;
	/** Share (0–1) of placed case studies, needs and partnerships in developing (low and middle
	 * income) and in least developed countries; null when nothing is placed. */
	developingShare: number | null;
	ldcShare: number | null;
};

export type MatrixCell = { theme: ThemeId; sdg: SdgTargetId; counts: KindCounts };
/** Every theme × target pair (60 cells, zeros included), and the largest count per kind for
 * shading. */
export type Matrix = { cells: MatrixCell[]; max: KindCounts };

export const gapDimensions = ['theme', 'sdg', 'region'] as const;
export type GapDimension = (typeof gapDimensions)[number];
/**
 * Supply against demand for one theme, target or region: open needs, open offers that could serve
 * them (same theme/target; serving the region), and open needs for which no open offer is
 * plausible (no offer passes matching's hard exclusions and shares a target or theme).
 */
export type GapRow = {
	dimension: GapDimension;
	value: string;
	openNeeds: number;
	servingOffers: number;
	needsWithoutOffer: number;
};
/** Rows where cooperation is missing first: most needs without an offer, then fewest offers per
 * need. */
export type Gap = { rows: GapRow[] };

export type Pipeline = {
	byStatus: Record<PartnershipStatus, number>;
	/** Introductions behind public partnerships and between public listings. */
	introductions: { requested: number; accepted: number; declined: number; pending: number };
	/** Median whole days from the introduction (else the proposal) to agreement, and to completion. */
	medianDaysToAgreement: number | null;
	medianDaysToCompletion: number | null;
	/** Open partnerships with no activity for six months. */
	stale: number;
};

/** ISO 3166-1 alpha-2 country and its counts; only countries with at least one record. */
export type CountryCounts = { country: string; counts: KindCounts };
/** Calendar month `YYYY-MM` and the records dated in it; every month of the period, zeros kept. */
export type MonthCounts = { month: string; counts: KindCounts };

export type Insights = {
	filters: StatsFilters;
	generatedAt: string;
	headline: Headline;
	matrix: Matrix;
	gap: Gap;
	pipeline: Pipeline;
	countries: CountryCounts[];
	/** Open offers that serve everywhere; not on the map, stated beside it. */
	globalOffers: number;
	months: MonthCounts[];
};

/** The views `/insights` shows and `/api/v1/stats?view=` exports; CSV needs one view. */
export const statsViews = ['headline', 'matrix', 'gap', 'pipeline', 'countries', 'months'] as const;
export type StatsView = (typeof statsViews)[number];
