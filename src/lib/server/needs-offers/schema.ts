import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { LONG_TEXT_MAX, TITLE_MAX } from '$lib/server/case-studies/schema';
import { languageCodes } from '$lib/server/organisations';
import {
	listingVisibilities,
	needStatuses,
	needTimeframes,
	offerFormats,
	offerStatuses,
	type ListingVisibility
} from '$lib/vocab/matchmaking';
import { regionCodes, subregionCodes } from '$lib/vocab/regions';
import {
	cooperationTypeSchema,
	incomeGroupSchema,
	sdgTargetIdSchema,
	themeIdSchema
} from '$lib/vocab/schemas';

export { LONG_TEXT_MAX, TITLE_MAX };
export const TITLE_MIN = 5;
export const LONG_TEXT_MIN = 20;
export const CAPACITY_MAX = 1000;
/** How far ahead an expiry date or a deadline may be. */
export const MAX_YEARS_AHEAD = 2;
/** A need expires 12 months after it is posted unless the city says otherwise. */
export const DEFAULT_EXPIRY_MONTHS = 12;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Browsers send textarea line breaks as CRLF; count them once. */
const normaliseText = (value: string) => value.replace(/\r\n?/g, '\n').trim();

const title = z
	.string({ error: () => m.cases_title_required() })
	.trim()
	.min(TITLE_MIN, { error: () => m.cases_title_required() })
	.max(TITLE_MAX, { error: () => m.cases_title_too_long({ max: TITLE_MAX }) });

const markdown = (required: () => string) =>
	z
		.string({ error: required })
		.transform(normaliseText)
		.pipe(
			z
				.string()
				.min(LONG_TEXT_MIN, { error: required })
				.max(LONG_TEXT_MAX, { error: () => m.cases_text_too_long({ max: LONG_TEXT_MAX }) })
		);

const optionalMarkdown = z
	.string({ error: () => m.cases_text_too_long({ max: LONG_TEXT_MAX }) })
	.transform(normaliseText)
	.pipe(
		z.string().max(LONG_TEXT_MAX, { error: () => m.cases_text_too_long({ max: LONG_TEXT_MAX }) })
	)
	.nullish()
	.transform((value) => value ?? '');

/** A form's checkbox group (string array) or a JSON array; one JSON string counts as one item. */
const tagList = <T extends z.ZodType<string>>(
	item: T,
	max: number,
	invalid: () => string,
	required?: () => string
) =>
	z
		.preprocess(
			(value) => (typeof value === 'string' ? (value === '' ? [] : [value]) : value),
			z
				.array(item, { error: invalid })
				.max(max, { error: () => m.cases_too_many({ max }) })
				.nullish()
		)
		.transform((value) => [...new Set(value ?? [])] as z.output<T>[])
		.refine((value) => !required || value.length > 0, { error: required });

const enumOf = <const T extends readonly [string, ...string[]]>(ids: T, invalid: () => string) =>
	z.enum(ids, { error: invalid });

const visibility = z
	.preprocess(
		(value) => (value === '' || value === null ? undefined : value),
		enumOf(listingVisibilities, () => m.needsoffers_visibility_invalid()).optional()
	)
	.transform((value): ListingVisibility => value ?? 'public');

/** A form's checkbox ('on' when ticked, absent otherwise) or a JSON boolean. */
const checkbox = z.preprocess(
	(value) => {
		if (value === undefined || value === null || value === '' || value === false) return false;
		if (value === true || value === 'on' || value === 'true' || value === '1') return true;
		if (value === 'false' || value === '0') return false;
		return value;
	},
	z.boolean({ error: () => m.needsoffers_checkbox_invalid() })
);

/** Empty (form) or null (JSON) means "not given". */
const blankToNull = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
		? null
		: value;

const isoDate = z
	.string({ error: () => m.needsoffers_date_invalid() })
	.trim()
	.refine((value) => parseIsoDate(value) !== null, { error: () => m.needsoffers_date_invalid() });

/** Midnight UTC of a real calendar date written YYYY-MM-DD, or null. */
export function parseIsoDate(value: string): Date | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const date = new Date(`${value}T00:00:00.000Z`);
	return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const startOfDay = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

/** The last day a date may be: two years from today. */
export function latestAllowedDay(now = new Date()): Date {
	const limit = startOfDay(now);
	limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS_AHEAD);
	return limit;
}

/** Twelve months from today, as YYYY-MM-DD: the default expiry of a need. */
export function defaultExpiresOn(now = new Date()): string {
	const day = startOfDay(now);
	day.setUTCMonth(day.getUTCMonth() + DEFAULT_EXPIRY_MONTHS);
	return isoDay(day);
}

/**
 * A need expires at the start of its expiry day (it is open until then); an offer's deadline is
 * the last day to apply, so it stays open to the end of that day (stored as 23:59:59.999 UTC).
 */
export const expiresAtOf = (expiresOn: string) => parseIsoDate(expiresOn)!;
export const deadlineAtOf = (deadline: string) =>
	new Date(parseIsoDate(deadline)!.getTime() + DAY_MS - 1);

const expiresOn = z
	.preprocess(blankToNull, isoDate.nullable())
	.transform((value) => value ?? defaultExpiresOn())
	.refine((value) => parseIsoDate(value)! > startOfDay(new Date()), {
		error: () => m.needsoffers_expires_past()
	})
	.refine((value) => parseIsoDate(value)! <= latestAllowedDay(), {
		error: () => m.needsoffers_expires_too_far()
	});

const deadline = z
	.preprocess(blankToNull, isoDate.nullable())
	.refine((value) => value === null || parseIsoDate(value)! >= startOfDay(new Date()), {
		error: () => m.needsoffers_deadline_past()
	})
	.refine((value) => value === null || parseIsoDate(value)! <= latestAllowedDay(), {
		error: () => m.needsoffers_deadline_too_far()
	});

/** A positive amount typed in a form (string) or given as a number in JSON; empty means none. */
const budgetAmount = z.preprocess(
	(value) => {
		const blank = blankToNull(value);
		return typeof blank === 'string' ? Number(blank.trim().replace(/[\s,_]/g, '')) : blank;
	},
	z
		.number({ error: () => m.cases_budget_amount_invalid() })
		.positive({ error: () => m.cases_budget_amount_invalid() })
		.max(1e13, { error: () => m.cases_budget_amount_invalid() })
		.refine(Number.isFinite, { error: () => m.cases_budget_amount_invalid() })
		.nullable()
);

const budgetCurrency = z.preprocess(
	blankToNull,
	z
		.string({ error: () => m.cases_budget_currency_invalid() })
		.trim()
		.toUpperCase()
		.regex(/^[A-Z]{3}$/, { error: () => m.cases_budget_currency_invalid() })
		.nullable()
);

const capacity = z.preprocess(
	(value) => {
		const blank = blankToNull(value);
		return typeof blank === 'string' && /^\s*\d{1,7}\s*$/.test(blank) ? Number(blank) : blank;
	},
	z
		.number({ error: () => m.needsoffers_capacity_invalid() })
		.int({ error: () => m.needsoffers_capacity_invalid() })
		.min(1, { error: () => m.needsoffers_capacity_invalid() })
		.max(CAPACITY_MAX, { error: () => m.needsoffers_capacity_invalid() })
		.nullable()
);

/** The organisation a new listing is posted for (ignored on edits). */
const organisationId = z
	.string({ error: () => m.needsoffers_organisation_required() })
	.trim()
	.max(100, { error: () => m.needsoffers_organisation_required() })
	.nullish()
	.transform((value) => value ?? '');

const languages = tagList(
	enumOf(languageCodes, () => m.needsoffers_language_invalid()),
	languageCodes.length,
	() => m.needsoffers_language_invalid()
);
const themes = tagList(themeIdSchema, 6, () => m.vocab_invalid_choice(), m.cases_theme_required);
const sdgTargets = tagList(
	sdgTargetIdSchema,
	10,
	() => m.vocab_invalid_choice(),
	() => m.cases_sdg_target_required()
);
const cooperationTypes = tagList(
	cooperationTypeSchema,
	7,
	() => m.vocab_invalid_choice(),
	() => m.needsoffers_cooperation_required()
);

const servedRegionCodes = [...regionCodes, ...subregionCodes] as [string, ...string[]];

/**
 * A need as the form, the API and the demo seed give it (`db/demo/needs.json`; unknown keys
 * such as `key` and `owner` are ignored).
 */
export const needInput = z
	.object({
		organisationId,
		title,
		challenge: markdown(() => m.needsoffers_challenge_required()),
		triedSoFar: optionalMarkdown,
		themes,
		sdgTargets,
		cooperationTypes,
		languages,
		timeframe: enumOf(needTimeframes, () => m.needsoffers_timeframe_invalid()),
		budgetAmount,
		budgetCurrency,
		visibility,
		expiresOn
	})
	.superRefine((value, context) => {
		if (value.budgetAmount !== null && value.budgetCurrency === null) {
			context.addIssue({
				code: 'custom',
				path: ['budgetCurrency'],
				message: m.cases_budget_currency_required()
			});
		}
		if (value.budgetAmount === null && value.budgetCurrency !== null) {
			context.addIssue({
				code: 'custom',
				path: ['budgetAmount'],
				message: m.needsoffers_budget_amount_required()
			});
		}
	});
export type NeedInput = z.output<typeof needInput>;

/** An offer as the form, the API and the demo seed give it (`db/demo/offers.json`). */
export const offerInput = z
	.object({
		organisationId,
		title,
		description: markdown(() => m.needsoffers_description_required()),
		format: enumOf(offerFormats, () => m.needsoffers_format_invalid()),
		themes,
		sdgTargets,
		cooperationTypes,
		isGlobal: checkbox,
		regions: tagList(
			enumOf(servedRegionCodes, () => m.needsoffers_region_invalid()),
			servedRegionCodes.length,
			() => m.needsoffers_region_invalid()
		),
		countries: tagList(
			z
				.string({ error: () => m.needsoffers_country_invalid() })
				.trim()
				.toUpperCase()
				.regex(/^[A-Z]{2}$/, { error: () => m.needsoffers_country_invalid() }),
			250,
			() => m.needsoffers_country_invalid()
		),
		languages,
		capacity,
		eligibleIncomeGroups: tagList(incomeGroupSchema, 4, () => m.needsoffers_income_invalid()),
		onlyLeastDeveloped: checkbox,
		deadline,
		visibility
	})
	.superRefine((value, context) => {
		if (!value.isGlobal && value.regions.length === 0 && value.countries.length === 0) {
			context.addIssue({
				code: 'custom',
				path: ['regions'],
				message: m.needsoffers_where_required()
			});
		}
	})
	// A global offer serves everywhere: the region and country lists would only contradict it.
	.transform((value) => (value.isGlobal ? { ...value, regions: [], countries: [] } : value));
export type OfferInput = z.output<typeof offerInput>;

/** Fields that are checkbox groups in the forms, for `parseForm(..., { arrays })`. */
export const needArrayFields = ['themes', 'sdgTargets', 'cooperationTypes', 'languages'] as const;
export const offerArrayFields = [
	'themes',
	'sdgTargets',
	'cooperationTypes',
	'regions',
	'countries',
	'languages',
	'eligibleIncomeGroups'
] as const;

/** The `status` field of the status forms and the status change functions. */
export const needStatusSchema = z.enum(needStatuses, {
	error: () => m.needsoffers_need_status_invalid()
});
export const offerStatusSchema = z.enum(offerStatuses, {
	error: () => m.needsoffers_offer_status_invalid()
});
