/**
 * Matches in plain words: a score's parts become reasons ("Shares SDG target 11.2", "Serves
 * Sub-Saharan Africa", "Both work in French") in the reader's language, with their shares.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import {
	cooperationTypeLabel,
	incomeGroupLabel,
	regionLabel,
	subregionLabel,
	themeLabel
} from '$lib/vocab/labels';
import type { ThemeId } from '$lib/vocab/themes';
import type { CooperationType } from '$lib/vocab/vocabularies';
import {
	reasonCodes,
	type Evaluation,
	type Part,
	type Place,
	type ReasonCode,
	type Scored
} from './score';
import { topSharedTerms, type SparseVector } from './text';

/** Intl formatters are slow to build (about a millisecond each): one per locale and kind. */
const formatters = new Map<string, Intl.ListFormat | Intl.DisplayNames | Intl.DateTimeFormat>();
function formatter<T extends Intl.ListFormat | Intl.DisplayNames | Intl.DateTimeFormat>(
	key: string,
	make: () => T
): T {
	let made = formatters.get(key) as T | undefined;
	if (!made) formatters.set(key, (made = make()));
	return made;
}

function list(values: readonly string[], locale: Locale): string {
	return formatter(
		`list:${locale}`,
		() => new Intl.ListFormat(locale, { type: 'conjunction' })
	).format(values);
}

function languageName(code: string, locale: Locale): string {
	try {
		return (
			formatter(`language:${locale}`, () => new Intl.DisplayNames(locale, { type: 'language' })).of(
				code
			) ?? code
		);
	} catch {
		// An unknown or malformed code reads as itself rather than failing the whole list.
		return code;
	}
}

function placeName(part: Part, place: Place | undefined, locale: Locale): string {
	const [value] = part.values;
	const kind = part.more?.[0];
	if (kind === 'country') return place?.countryCode === value ? place.countryName : value;
	if (kind === 'subregion') return subregionLabel(value, locale);
	return regionLabel(value, locale);
}

const criterionLabels: Record<ReasonCode, (locale: Locale) => string> = {
	sdg_targets: (locale) => m.matching_criterion_sdg_targets({}, { locale }),
	themes: (locale) => m.matching_criterion_themes({}, { locale }),
	cooperation: (locale) => m.matching_criterion_cooperation({}, { locale }),
	geography: (locale) => m.matching_criterion_geography({}, { locale }),
	language: (locale) => m.matching_criterion_language({}, { locale }),
	text: (locale) => m.matching_criterion_text({}, { locale }),
	track_record: (locale) => m.matching_criterion_track_record({}, { locale }),
	eligibility: (locale) => m.matching_criterion_eligibility({}, { locale }),
	availability: (locale) => m.matching_criterion_availability({}, { locale }),
	income_group: (locale) => m.matching_criterion_income_group({}, { locale }),
	validations: (locale) => m.matching_criterion_validations({}, { locale })
};

function trackRecordDetail(part: Part, locale: Locale): string {
	const sentences: string[] = [];
	const options = { locale };
	if (part.moreCount) {
		const inputs = { count: part.moreCount, targets: list(part.more ?? [], locale) };
		sentences.push(
			part.moreCount === 1
				? m.matching_detail_partnerships_one(inputs, options)
				: m.matching_detail_partnerships_many(inputs, options)
		);
	}
	if (part.count) {
		const inputs = { count: part.count, targets: list(part.values, locale) };
		sentences.push(
			part.count === 1
				? m.matching_detail_cases_one(inputs, options)
				: m.matching_detail_cases_many(inputs, options)
		);
	}
	return sentences.join('; ');
}

function availabilityDetail(part: Part, locale: Locale): string {
	const options = { locale };
	const places =
		part.count === undefined
			? m.matching_detail_places_unlimited({}, options)
			: part.count === 1
				? m.matching_detail_places_one({ count: part.count }, options)
				: m.matching_detail_places_many({ count: part.count }, options);
	const [deadline] = part.more ?? [];
	if (!deadline) return places;
	const date = formatter(
		`date:${locale}`,
		() => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })
	).format(new Date(`${deadline}T00:00:00Z`));
	return `${places}; ${m.matching_detail_apply_by({ date }, options)}`;
}

/** The codes a part found in common, for the API (the track record's targets, both lists). */
function valuesOf(part: Part): string[] {
	if (part.code === 'track_record') return [...new Set([...part.values, ...(part.more ?? [])])];
	if (part.code === 'availability' || part.code === 'validations') return [];
	return [...part.values];
}

/** A part in plain words, in `locale`. `place` is the need's (to name its country). */
export function detailOf(
	part: Part,
	locale: Locale,
	place?: Place,
	words?: readonly string[],
	vectors?: [SparseVector, SparseVector],
	asCity = false
): string {
	const options = { locale };
	switch (part.code) {
		case 'sdg_targets': {
			const inputs = { targets: list(part.values, locale) };
			return part.values.length === 1
				? m.matching_detail_sdg_one(inputs, options)
				: m.matching_detail_sdg_many(inputs, options);
		}
		case 'themes': {
			const inputs = {
				themes: list(
					part.values.map((id) => themeLabel(id as ThemeId, locale)),
					locale
				)
			};
			return part.values.length === 1
				? m.matching_detail_theme_one(inputs, options)
				: m.matching_detail_theme_many(inputs, options);
		}
		case 'cooperation':
			return m.matching_detail_cooperation(
				{
					types: list(
						part.values.map((id) => cooperationTypeLabel(id as CooperationType, locale)),
						locale
					)
				},
				options
			);
		case 'geography':
			if (part.values.length === 0) return m.matching_detail_serves_everywhere({}, options);
			return asCity
				? m.matching_detail_same_place({ place: placeName(part, place, locale) }, options)
				: m.matching_detail_serves_place({ place: placeName(part, place, locale) }, options);
		case 'language':
			return m.matching_detail_languages(
				{
					languages: list(
						part.values.map((code) => languageName(code, locale)),
						locale
					)
				},
				options
			);
		case 'text': {
			const shown = vectors && words ? topSharedTerms(vectors[0], vectors[1], 3) : [];
			return m.matching_detail_text(
				{
					words: list(
						shown.map((id) => words![id]),
						locale
					)
				},
				options
			);
		}
		case 'track_record':
			return trackRecordDetail(part, locale);
		case 'eligibility':
			if (part.values[0] === 'ldc') return m.matching_detail_reserved_ldc({}, options);
			if (part.values.length === 0) return m.matching_detail_open_to_all({}, options);
			return m.matching_detail_reserved_income(
				{
					groups: list(
						part.values.map((id) => incomeGroupLabel(id, locale)),
						locale
					)
				},
				options
			);
		case 'availability':
			return availabilityDetail(part, locale);
		case 'income_group':
			return m.matching_detail_same_income(
				{ group: incomeGroupLabel(part.values[0], locale) },
				options
			);
		case 'validations':
			return part.count === 1
				? m.matching_detail_validations_one({ count: part.count }, options)
				: m.matching_detail_validations_many({ count: part.count ?? 0 }, options);
	}
}

/**
 * Shares of the score as whole percents that add up to 100 (largest remainder), so the list
 * never reads 33 + 33 + 33.
 */
function sharesOf(parts: readonly Part[], total: number): number[] {
	if (total <= 0) return parts.map(() => 0);
	const exact = parts.map((part) => (part.points / total) * 100);
	const floors = exact.map(Math.floor);
	let left = 100 - floors.reduce((a, b) => a + b, 0);
	const order = exact
		.map((value, index) => ({ index, remainder: value - floors[index] }))
		.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
	for (const { index } of order) {
		if (left <= 0) break;
		floors[index] += 1;
		left -= 1;
	}
	return floors;
}

/**
 * An evaluation in words: the score (rounded total) and its reasons, largest share first (ties in
 * the criteria's fixed order, reasonCodes).
 */
export function describe(
	evaluation: Evaluation,
	options: {
		locale?: Locale;
		place?: Place;
		words?: readonly string[];
		vectors?: [SparseVector, SparseVector];
		asCity?: boolean;
	} = {}
): Scored {
	const locale = options.locale ?? getLocale();
	const parts = evaluation.parts
		.slice()
		.sort(
			(a, b) => b.points - a.points || reasonCodes.indexOf(a.code) - reasonCodes.indexOf(b.code)
		);
	const shares = sharesOf(parts, evaluation.total);
	return {
		score: Math.min(100, Math.round(evaluation.total)),
		reasons: parts.map((part, index) => ({
			code: part.code,
			label: detailOf(part, locale, options.place, options.words, options.vectors, options.asCity),
			weight: shares[index] / 100,
			detail: {
				criterion: criterionLabels[part.code](locale),
				points: Math.round(part.points * 10) / 10,
				values: valuesOf(part)
			}
		}))
	};
}
