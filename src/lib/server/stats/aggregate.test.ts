import { describe, expect, it } from 'vitest';
import type { IntroductionStatus, NeedStatus, PartnershipStatus } from '$lib/vocab/matchmaking';
import { aggregate, medianDays, plausibleNeeds } from './aggregate';
import {
	cooperationMask,
	countryIndex,
	monthOfText,
	sdgMask,
	themeMask,
	type CountryFacts,
	type NeedFact,
	type OfferFact,
	type PartnershipFact,
	type StatsFacts
} from './facts';

const DAY = 86_400_000;
const now = new Date('2026-06-15T12:00:00Z');
const at = (month: string) => Date.parse(`${month}-10T00:00:00Z`);

/** Three countries: Kenya (Africa, lower middle, not LDC), Rwanda (Africa, low, LDC), France (Europe, high). */
const reference = [
	{ code: 'KE', region: '002', subregion: '202', income: 'LM', isLdc: false },
	{ code: 'RW', region: '002', subregion: '202', income: 'L', isLdc: true },
	{ code: 'FR', region: '150', subregion: '155', income: 'H', isLdc: false }
] as const;
const KE = countryIndex('KE');
const RW = countryIndex('RW');
const FR = countryIndex('FR');

function countries(): CountryFacts {
	const facts: CountryFacts = { code: [], region: [], subregion: [], income: [], isLdc: [] };
	for (const row of reference) {
		const index = countryIndex(row.code);
		facts.code[index] = row.code;
		facts.region[index] = row.region;
		facts.subregion[index] = row.subregion;
		facts.income[index] = row.income;
		facts.isLdc[index] = row.isLdc;
	}
	return facts;
}
const placeOf = (index: number) => {
	const row = reference.find((r) => countryIndex(r.code) === index)!;
	return {
		countryCode: row.code,
		countryName: row.code,
		regionCode: row.region,
		subregionCode: row.subregion,
		incomeGroup: row.income,
		isLdc: row.isLdc
	};
};

type Tags = { themes?: string[]; sdgs?: string[]; cooperation?: string[] };

function need(
	country: number,
	tags: Tags,
	options: { status?: NeedStatus; month?: string; expiresAt?: number; organisation?: string } = {}
): NeedFact {
	const status = options.status ?? 'open';
	const expiresAt = options.expiresAt ?? now.getTime() + 100 * DAY;
	const cooperationTypes = tags.cooperation ?? ['technological'];
	return {
		country,
		month: monthOfText(options.month ?? '2026-01'),
		status,
		expiresAt,
		themes: themeMask(tags.themes ?? []),
		sdgs: sdgMask(tags.sdgs ?? []),
		cooperation: cooperationMask(cooperationTypes),
		exclusion: {
			status,
			expiresAt,
			organisationId: options.organisation ?? 'city',
			cooperationTypes,
			place: placeOf(country)
		}
	};
}

function offer(
	served: number[],
	tags: Tags,
	options: {
		isGlobal?: boolean;
		regions?: string[];
		countries?: string[];
		status?: 'open' | 'closed';
		deadline?: number | null;
		month?: string;
		capacity?: number | null;
	} = {}
): OfferFact {
	const cooperationTypes = tags.cooperation ?? ['technological'];
	const status = options.status ?? 'open';
	const deadline = options.deadline ?? null;
	const servedRegions = new Set<string>();
	for (const index of served) {
		const place = placeOf(index);
		servedRegions.add(place.regionCode);
		servedRegions.add(place.subregionCode);
	}
	return {
		month: monthOfText(options.month ?? '2026-02'),
		status,
		deadline,
		themes: themeMask(tags.themes ?? []),
		sdgs: sdgMask(tags.sdgs ?? []),
		cooperation: cooperationMask(cooperationTypes),
		isGlobal: options.isGlobal ?? false,
		served: Int32Array.from(served),
		servedRegions: [...servedRegions],
		exclusion: {
			status,
			deadline,
			organisationId: 'partner',
			cooperationTypes,
			isGlobal: options.isGlobal ?? false,
			regions: options.regions ?? [],
			countries: options.countries ?? served.map((index) => placeOf(index).countryCode),
			eligibleIncomeGroups: [],
			onlyLeastDeveloped: false,
			capacity: options.capacity ?? null,
			capacityUsed: 0
		}
	};
}

function partnership(
	country: number,
	status: PartnershipStatus,
	tags: Tags,
	options: {
		month?: string;
		startedAt?: number;
		agreedAt?: number | null;
		completedAt?: number | null;
		lastActivityAt?: number;
	} = {}
): PartnershipFact {
	return {
		status,
		country,
		month: monthOfText(options.month ?? '2026-03'),
		themes: themeMask(tags.themes ?? []),
		sdgs: sdgMask(tags.sdgs ?? []),
		cooperation: cooperationMask(tags.cooperation ?? []),
		lastActivityAt: new Date(options.lastActivityAt ?? now.getTime() - DAY),
		startedAt: options.startedAt ?? at('2026-03'),
		agreedAt: options.agreedAt ?? null,
		completedAt: options.completedAt ?? null
	};
}

function caseStudies(rows: { country: number; month: string; themes: string[]; sdgs: string[] }[]) {
	return {
		count: rows.length,
		country: Int32Array.from(rows.map((row) => row.country)),
		month: Int32Array.from(rows.map((row) => monthOfText(row.month))),
		themes: Int32Array.from(rows.map((row) => themeMask(row.themes))),
		sdgs: Int32Array.from(rows.map((row) => sdgMask(row.sdgs)))
	};
}

function introduction(status: IntroductionStatus, country: number, month = '2026-03') {
	return {
		status,
		country,
		month: monthOfText(month),
		themes: themeMask(['S']),
		sdgs: sdgMask(['11.5']),
		cooperation: cooperationMask(['technological'])
	};
}

function world(): StatsFacts {
	return {
		countries: countries(),
		caseStudies: caseStudies([
			{ country: KE, month: '2025-11', themes: ['S', 'E'], sdgs: ['11.2', '11.5'] },
			{ country: RW, month: '2026-01', themes: ['S'], sdgs: ['11.5'] },
			{ country: FR, month: '2026-02', themes: ['O'], sdgs: ['11.3'] }
		]),
		needs: [
			need(KE, { themes: ['S'], sdgs: ['11.5'] }),
			need(RW, { themes: ['E'], sdgs: ['11.6'], cooperation: ['financial'] }),
			need(KE, { themes: ['S'], sdgs: ['11.5'] }, { status: 'closed' }),
			need(KE, { themes: ['S'], sdgs: ['11.5'] }, { expiresAt: now.getTime() - DAY })
		],
		offers: [
			offer([KE, RW], { themes: ['S'], sdgs: ['11.5'] }, { regions: ['202'], countries: [] }),
			offer([KE, RW, FR], { themes: ['E'], sdgs: ['11.6'] }, { isGlobal: true }),
			offer([FR], { themes: ['S'], sdgs: ['11.5'] }, { status: 'closed' })
		],
		partnerships: [
			partnership(
				KE,
				'agreed',
				{ themes: ['S'], sdgs: ['11.5'] },
				{ agreedAt: at('2026-03') + 4 * DAY }
			),
			partnership(
				RW,
				'completed',
				{ themes: ['E'], sdgs: ['11.6'], cooperation: ['financial'] },
				{ agreedAt: at('2026-03') + 10 * DAY, completedAt: at('2026-03') + 30 * DAY }
			),
			partnership(
				FR,
				'active',
				{ themes: ['O'], sdgs: ['11.3'] },
				{
					lastActivityAt: now.getTime() - 200 * DAY
				}
			)
		],
		introductions: [
			introduction('accepted', KE),
			introduction('declined', RW),
			introduction('pending', KE),
			introduction('withdrawn', FR)
		],
		organisations: [
			{ country: KE, isCity: true },
			{ country: RW, isCity: true },
			{ country: FR, isCity: false }
		]
	};
}

describe('aggregate', () => {
	it('counts open needs and offers, published case studies and public partnerships', () => {
		const insights = aggregate(world(), {}, now);
		expect(insights.headline).toEqual({
			caseStudies: 3,
			cities: 2,
			partners: 1,
			openNeeds: 2,
			openOffers: 2,
			partnerships: { proposed: 0, agreed: 1, active: 1, completed: 1, discontinued: 0, total: 3 },
			countriesReached: 3,
			// Placed: 3 case studies, 2 open needs, 3 partnerships = 8; France's two are not developing.
			developingShare: 6 / 8,
			// Rwanda: one case study, one need, one partnership.
			ldcShare: 3 / 8
		});
		expect(insights.globalOffers).toBe(1);
	});

	it('fills every theme × target cell, a record counting once in each of its pairs', () => {
		const { matrix } = aggregate(world(), {}, now);
		expect(matrix.cells).toHaveLength(60);
		const cell = (theme: string, sdg: string) =>
			matrix.cells.find((c) => c.theme === theme && c.sdg === sdg)!.counts;
		expect(cell('S', '11.5')).toEqual({ case_study: 2, need: 1, offer: 1, partnership: 1 });
		expect(cell('E', '11.2')).toEqual({ case_study: 1, need: 0, offer: 0, partnership: 0 });
		expect(cell('E', '11.6')).toEqual({ case_study: 0, need: 1, offer: 1, partnership: 1 });
		expect(cell('G', '11.c')).toEqual({ case_study: 0, need: 0, offer: 0, partnership: 0 });
		expect(matrix.max).toEqual({ case_study: 2, need: 1, offer: 1, partnership: 1 });
	});

	it('places offers where they serve and keeps global ones off the map', () => {
		const { countries } = aggregate(world(), {}, now);
		expect(countries).toEqual([
			{ country: 'FR', counts: { case_study: 1, need: 0, offer: 0, partnership: 1 } },
			{ country: 'KE', counts: { case_study: 1, need: 1, offer: 1, partnership: 1 } },
			{ country: 'RW', counts: { case_study: 1, need: 1, offer: 1, partnership: 1 } }
		]);
	});

	it('narrows by region, sub-region and income, offers by the countries they serve', () => {
		const africa = aggregate(world(), { region: ['202'] }, now);
		expect(africa.headline.caseStudies).toBe(2);
		expect(africa.headline.openOffers).toBe(2);
		expect(africa.headline.cities).toBe(2);
		expect(africa.headline.partners).toBe(0);
		const europe = aggregate(world(), { region: ['150'] }, now);
		expect(europe.headline).toMatchObject({ caseStudies: 1, openNeeds: 0, openOffers: 1 });
		expect(europe.globalOffers).toBe(1);
		const low = aggregate(world(), { income: ['L'] }, now);
		expect(low.headline).toMatchObject({ caseStudies: 1, openNeeds: 1, openOffers: 2 });
		expect(low.headline.partnerships.total).toBe(1);
		const rich = aggregate(world(), { region: ['002'], income: ['H'] }, now);
		expect(rich.headline).toMatchObject({ caseStudies: 0, openOffers: 0, developingShare: null });
	});

	it('narrows by theme, target, cooperation (not case studies) and period', () => {
		expect(aggregate(world(), { theme: ['E'] }, now).headline).toMatchObject({
			caseStudies: 1,
			openNeeds: 1,
			openOffers: 1
		});
		expect(aggregate(world(), { sdg: ['11.3', '11.2'] }, now).headline).toMatchObject({
			caseStudies: 2,
			openNeeds: 0
		});
		const financial = aggregate(world(), { cooperation: ['financial'] }, now).headline;
		expect(financial).toMatchObject({ caseStudies: 3, openNeeds: 1, openOffers: 0 });
		expect(financial.partnerships.total).toBe(1);
		const period = aggregate(world(), { from: '2026-01', to: '2026-02' }, now);
		expect(period.headline).toMatchObject({ caseStudies: 2, openNeeds: 2, openOffers: 2 });
		expect(period.headline.partnerships.total).toBe(0);
		expect(period.months.map((m) => m.month)).toEqual(['2026-01', '2026-02']);
	});

	it('keeps every month from the first record to now, zeros included', () => {
		const { months } = aggregate(world(), {}, now);
		expect(months[0]).toEqual({
			month: '2025-11',
			counts: { case_study: 1, need: 0, offer: 0, partnership: 0 }
		});
		expect(months.map((m) => m.month)).toEqual([
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02',
			'2026-03',
			'2026-04',
			'2026-05',
			'2026-06'
		]);
		expect(months[1].counts).toEqual({ case_study: 0, need: 0, offer: 0, partnership: 0 });
	});

	it('puts the themes, targets and regions where needs have no plausible offer first', () => {
		const { gap } = aggregate(world(), {}, now);
		// The Rwandan need asks for financial cooperation: no open offer has it.
		expect(gap.rows[0]).toMatchObject({ needsWithoutOffer: 1 });
		const row = (dimension: string, value: string) =>
			gap.rows.find((r) => r.dimension === dimension && r.value === value);
		expect(row('theme', 'S')).toEqual({
			dimension: 'theme',
			value: 'S',
			openNeeds: 1,
			servingOffers: 1,
			needsWithoutOffer: 0
		});
		expect(row('theme', 'E')).toMatchObject({
			openNeeds: 1,
			servingOffers: 1,
			needsWithoutOffer: 1
		});
		expect(row('sdg', '11.6')).toMatchObject({ needsWithoutOffer: 1 });
		expect(row('region', '202')).toMatchObject({
			openNeeds: 2,
			servingOffers: 2,
			needsWithoutOffer: 1
		});
		expect(row('region', '150')).toMatchObject({ openNeeds: 0, servingOffers: 1 });
		expect(row('region', '019')).toBeUndefined();
		const missing = gap.rows.map((r) => r.needsWithoutOffer);
		expect(missing).toEqual([...missing].sort((a, b) => b - a));
	});

	it('leaves Antarctica out of the gap: a global offer reaches it, but no one there asks', () => {
		const facts = world();
		const global = offer([FR], { themes: ['N'], sdgs: ['11.4'] }, { isGlobal: true });
		facts.offers.push({ ...global, servedRegions: [...global.servedRegions, '010'] });
		const { gap } = aggregate(facts, {}, now);
		expect(gap.rows.filter((r) => r.dimension === 'region').map((r) => r.value)).not.toContain(
			'010'
		);
		expect(gap.rows.find((r) => r.dimension === 'region' && r.value === '155')).toMatchObject({
			openNeeds: 0,
			servingOffers: 2
		});
	});

	it('judges a plausible offer by matching hard rules and a shared theme or target', () => {
		const facts = world();
		const nairobi = need(KE, { themes: ['J'], sdgs: ['11.1'] });
		const sameTagsFull = offer([KE], { themes: ['J'], sdgs: ['11.1'] }, { capacity: 0 });
		const otherTags = offer([KE], { themes: ['G'], sdgs: ['11.c'] });
		const listings = { needs: [nairobi], offers: [sameTagsFull, otherTags] };
		expect(plausibleNeeds(listings, now.getTime())[0]).toBe(0);
		const open = offer([KE], { themes: ['G'], sdgs: ['11.1'] });
		expect(plausibleNeeds({ needs: [nairobi], offers: [open] }, now.getTime())[0]).toBe(1);
		expect(plausibleNeeds(facts, now.getTime())).toEqual(Uint8Array.from([1, 0, 0, 0]));
	});

	it('counts the pipeline: statuses, introductions, medians and stale records', () => {
		const { pipeline } = aggregate(world(), {}, now);
		expect(pipeline).toEqual({
			byStatus: { proposed: 0, agreed: 1, active: 1, completed: 1, discontinued: 0 },
			introductions: { requested: 4, accepted: 1, declined: 1, pending: 1 },
			medianDaysToAgreement: 7,
			medianDaysToCompletion: 30,
			stale: 1
		});
	});

	it('takes the median of whole days, the lower mean of the middle two', () => {
		expect(medianDays([])).toBeNull();
		expect(medianDays([3 * DAY + 5])).toBe(3);
		expect(medianDays([DAY, 4 * DAY, 2 * DAY])).toBe(2);
		expect(medianDays([DAY, 2 * DAY, 4 * DAY, 9 * DAY])).toBe(3);
	});
});
