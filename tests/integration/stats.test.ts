import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import * as partnerships from '../../src/lib/server/partnerships';
import * as stats from '../../src/lib/server/stats';
import { freshDb } from '../support/db';
import { needInput, offerInput } from '../support/listing-fixtures';
import { introductionMessage, sampleResult } from '../support/partnership-fixtures';
import { caseStudyIn, makeModerator, organisationIn } from '../support/stats-fixtures';

/**
 * The insights on a small known world built through the domain functions. Every expected figure is
 * counted here from the list of records the test made (`world`), with the country facts written
 * out below, never through the stats module's SQL.
 */

const NOW = new Date('2026-11-28T12:00:00Z');
const on = (day: string) => new Date(`${day}T10:00:00Z`);

/** The reference facts of the countries used (UN M49, World Bank FY2026, UN LDC list). */
const places: Record<string, { region: string; subregion: string; income: string; ldc: boolean }> =
	{
		KE: { region: '002', subregion: '202', income: 'LM', ldc: false },
		RW: { region: '002', subregion: '202', income: 'L', ldc: true },
		VN: { region: '142', subregion: '035', income: 'LM', ldc: false },
		BR: { region: '019', subregion: '419', income: 'UM', ldc: false },
		FR: { region: '150', subregion: '155', income: 'H', ldc: false },
		NP: { region: '142', subregion: '034', income: 'LM', ldc: true }
	};

type Counted = {
	kind: stats.StatsKind;
	/** Countries it is placed in (an offer: where it serves); 'global' serves everywhere. */
	countries: string[] | 'global';
	themes: string[];
	sdgs: string[];
	cooperation: string[];
	month: string;
};

/** What the filters keep, by the definitions in stats/aggregate.ts, counted the plain way. */
function keeps(record: Counted, filters: stats.StatsFilters): boolean {
	const placeOk = (code: string) =>
		(!filters.region ||
			filters.region.includes(places[code].region) ||
			filters.region.includes(places[code].subregion)) &&
		(!filters.income || filters.income.includes(places[code].income as never));
	const placed =
		record.countries === 'global'
			? true // every region and income group tested has countries
			: record.countries.some(placeOk);
	const any = (mine: string[], wanted?: string[]) =>
		!wanted || mine.some((value) => wanted.includes(value));
	return (
		placed &&
		any(record.themes, filters.theme) &&
		any(record.sdgs, filters.sdg) &&
		(record.kind === 'case_study' || any(record.cooperation, filters.cooperation)) &&
		(!filters.from || record.month >= filters.from) &&
		(!filters.to || record.month <= filters.to)
	);
}

let db: Db;
const world: Counted[] = [];
const verified: { country: string; isCity: boolean }[] = [];
const ids: Record<string, string> = {};
let partnershipIds: Record<string, string> = {};

function count(kind: stats.StatsKind, filters: stats.StatsFilters = {}) {
	return world.filter((record) => record.kind === kind && keeps(record, filters)).length;
}

beforeAll(() => {
	db = freshDb();
	const moderator = makeModerator(db);
	const kenya = organisationIn(db, 'KE', { verified: true });
	const rwanda = organisationIn(db, 'RW', { verified: true });
	const vietnam = organisationIn(db, 'VN', { verified: true });
	organisationIn(db, 'NP'); // unverified: not a city in the headline
	const partner = organisationIn(db, 'FR', { kind: 'ngo', verified: true });
	organisationIn(db, 'BR', { kind: 'academia' }); // unverified partner
	verified.push(
		{ country: 'KE', isCity: true },
		{ country: 'RW', isCity: true },
		{ country: 'VN', isCity: true },
		{ country: 'FR', isCity: false }
	);

	// Case studies: four published, and a draft, a submitted and an archived one that never count.
	const cases: [typeof kenya, string[], string[], string | undefined, string][] = [
		[kenya, ['S', 'E'], ['11.2', '11.5'], undefined, '2026-02-10'],
		[rwanda, ['S'], ['11.5'], undefined, '2026-03-10'],
		[vietnam, ['O'], ['11.3'], undefined, '2026-05-10'],
		[partner, ['G'], ['11.a'], 'BR', '2026-07-10']
	];
	for (const [owner, themes, sdgTargets, country, day] of cases) {
		caseStudyIn(db, owner, moderator, { themes, sdgTargets, country, at: on(day) });
		world.push({
			kind: 'case_study',
			countries: [
				country ??
					{
						[kenya.organisationId]: 'KE',
						[rwanda.organisationId]: 'RW',
						[vietnam.organisationId]: 'VN'
					}[owner.organisationId]!
			],
			themes,
			sdgs: sdgTargets,
			cooperation: [],
			month: day.slice(0, 7)
		});
	}
	for (const state of ['draft', 'submitted', 'archived'] as const) {
		caseStudyIn(db, kenya, moderator, {
			themes: ['S', 'N'],
			sdgTargets: ['11.5', '11.c'],
			state,
			at: on('2026-04-10')
		});
	}

	// Open public needs, then a restricted, a closed and an expired one that never count.
	const need = (
		city: typeof kenya,
		country: string,
		tags: { themes: string[]; sdgTargets: string[]; cooperationTypes: string[] },
		day: string,
		overrides: Record<string, unknown> = {},
		counted = true
	) => {
		const { id } = listings.createNeed(
			db,
			city.actor,
			city.organisationId,
			needInput({ ...tags, ...overrides }),
			on(day)
		);
		if (counted) {
			world.push({
				kind: 'need',
				countries: [country],
				themes: tags.themes,
				sdgs: tags.sdgTargets,
				cooperation: tags.cooperationTypes,
				month: day.slice(0, 7)
			});
		}
		return id;
	};
	ids.kenyaNeed = need(
		kenya,
		'KE',
		{
			themes: ['S'],
			sdgTargets: ['11.5'],
			cooperationTypes: ['technological', 'capacity_building']
		},
		'2026-04-10'
	);
	ids.rwandaNeed = need(
		rwanda,
		'RW',
		{ themes: ['E'], sdgTargets: ['11.6'], cooperationTypes: ['financial'] },
		'2026-05-10'
	);
	ids.vietnamNeed = need(
		vietnam,
		'VN',
		{ themes: ['J'], sdgTargets: ['11.3'], cooperationTypes: ['regulatory'] },
		'2026-06-10'
	);
	const hiddenTags = { themes: ['N'], sdgTargets: ['11.c'], cooperationTypes: ['financial'] };
	ids.restrictedNeed = need(
		kenya,
		'KE',
		hiddenTags,
		'2026-04-12',
		{ visibility: 'verified' },
		false
	);
	const closedNeed = need(kenya, 'KE', hiddenTags, '2026-04-12', {}, false);
	listings.setNeedStatus(db, kenya.actor, closedNeed, 'closed', on('2026-04-13'));
	const expiredNeed = need(rwanda, 'RW', hiddenTags, '2026-04-12', {}, false);
	// As if its expiry day had passed (the form refuses an expiry in the past).
	db.update(table.need)
		.set({ expiresAt: on('2026-10-01') })
		.where(eq(table.need.id, expiredNeed))
		.run();

	// Open public offers: one serving Kenya and Rwanda, one global; a restricted and a closed one
	// that would serve the Rwandan need (financial) if they counted.
	const offer = (values: Record<string, unknown>, day: string) =>
		listings.createOffer(db, partner.actor, partner.organisationId, offerInput(values), on(day)).id;
	const named = {
		isGlobal: false,
		regions: [],
		eligibleIncomeGroups: [],
		onlyLeastDeveloped: false
	};
	ids.kenyaOffer = offer(
		{
			...named,
			countries: ['KE', 'RW'],
			themes: ['S'],
			sdgTargets: ['11.5'],
			cooperationTypes: ['technological', 'knowledge_sharing']
		},
		'2026-04-11'
	);
	world.push({
		kind: 'offer',
		countries: ['KE', 'RW'],
		themes: ['S'],
		sdgs: ['11.5'],
		cooperation: ['technological', 'knowledge_sharing'],
		month: '2026-04'
	});
	ids.globalOffer = offer(
		{
			...named,
			isGlobal: true,
			countries: [],
			themes: ['J'],
			sdgTargets: ['11.3'],
			cooperationTypes: ['regulatory']
		},
		'2026-05-11'
	);
	world.push({
		kind: 'offer',
		countries: 'global',
		themes: ['J'],
		sdgs: ['11.3'],
		cooperation: ['regulatory'],
		month: '2026-05'
	});
	const financial = {
		...named,
		countries: ['RW'],
		themes: ['E'],
		sdgTargets: ['11.6'],
		cooperationTypes: ['financial']
	};
	ids.restrictedOffer = offer({ ...financial, visibility: 'verified' }, '2026-05-12');
	const closedOffer = offer(financial, '2026-05-12');
	listings.setOfferStatus(db, partner.actor, closedOffer, 'closed', on('2026-05-13'));

	// Partnerships from accepted introductions between listings made for them (their offers then
	// close, so only the partnerships and their introductions count).
	const partnershipFrom = (
		city: typeof kenya,
		country: string,
		tags: { themes: string[]; sdgTargets: string[]; cooperationTypes: string[] },
		days: { introduced: string; accepted: string },
		isPublic: boolean
	) => {
		const needId = listings.createNeed(
			db,
			city.actor,
			city.organisationId,
			needInput(tags),
			on(days.introduced)
		).id;
		const offerId = offer({ ...named, countries: [country], ...tags }, days.introduced);
		const { id: introductionId } = partnerships.requestIntroduction(
			db,
			partner.actor,
			{ fromOrganisationId: partner.organisationId, needId, offerId, message: introductionMessage },
			on(days.introduced)
		);
		const { partnershipId } = partnerships.respondToIntroduction(
			db,
			city.actor,
			introductionId,
			{ decision: 'accept', note: 'Yes.' },
			on(days.accepted)
		);
		listings.setOfferStatus(db, partner.actor, offerId, 'closed', on(days.accepted));
		partnerships.setConsent(db, city.actor, partnershipId!, city.organisationId, true);
		if (isPublic) {
			partnerships.setConsent(db, partner.actor, partnershipId!, partner.organisationId, true);
			world.push({
				kind: 'partnership',
				countries: [country],
				themes: tags.themes,
				sdgs: tags.sdgTargets,
				cooperation: tags.cooperationTypes,
				month: days.accepted.slice(0, 7)
			});
		}
		return partnershipId!;
	};
	const kenyaTags = { themes: ['S'], sdgTargets: ['11.5'], cooperationTypes: ['technological'] };
	const agreed = partnershipFrom(
		kenya,
		'KE',
		kenyaTags,
		{ introduced: '2026-04-10', accepted: '2026-04-20' },
		true
	);
	partnerships.changeStatus(db, kenya.actor, agreed, { to: 'agreed', note: '' }, on('2026-04-30'));
	const completed = partnershipFrom(
		rwanda,
		'RW',
		{ themes: ['E'], sdgTargets: ['11.6'], cooperationTypes: ['financial'] },
		{ introduced: '2026-05-10', accepted: '2026-05-20' },
		true
	);
	for (const [to, day] of [
		['agreed', '2026-05-24'],
		['active', '2026-06-01'],
		['completed', '2026-06-09']
	] as const) {
		if (to === 'completed') {
			partnerships.saveResults(db, rwanda.actor, completed, [sampleResult], on(day));
		}
		partnerships.changeStatus(db, rwanda.actor, completed, { to, note: '' }, on(day));
	}
	const proposed = partnershipFrom(
		vietnam,
		'VN',
		{ themes: ['J'], sdgTargets: ['11.3'], cooperationTypes: ['regulatory'] },
		{ introduced: '2026-06-15', accepted: '2026-06-20' },
		true
	);
	// The partner never agreed to publish this one: nothing of it counts, not even its introduction.
	const privateOne = partnershipFrom(
		kenya,
		'KE',
		{ themes: ['N'], sdgTargets: ['11.c'], cooperationTypes: ['financial'] },
		{ introduced: '2026-04-11', accepted: '2026-04-25' },
		false
	);
	partnerships.changeStatus(
		db,
		kenya.actor,
		privateOne,
		{ to: 'agreed', note: '' },
		on('2026-04-26')
	);
	partnershipIds = { agreed, completed, proposed, privateOne };

	// Introductions without a partnership: pending and declined between public listings count;
	// one about the restricted need does not.
	partnerships.requestIntroduction(
		db,
		partner.actor,
		{
			fromOrganisationId: partner.organisationId,
			needId: ids.kenyaNeed,
			offerId: ids.kenyaOffer,
			message: introductionMessage
		},
		on('2026-07-01')
	);
	const declined = partnerships.requestIntroduction(
		db,
		partner.actor,
		{
			fromOrganisationId: partner.organisationId,
			needId: ids.vietnamNeed,
			offerId: ids.globalOffer,
			message: introductionMessage
		},
		on('2026-07-02')
	);
	partnerships.respondToIntroduction(
		db,
		vietnam.actor,
		declined.id,
		{ decision: 'decline', note: 'Our budget for this year is already committed, sorry.' },
		on('2026-07-03')
	);
	partnerships.requestIntroduction(
		db,
		partner.actor,
		{
			fromOrganisationId: partner.organisationId,
			needId: ids.restrictedNeed,
			offerId: ids.kenyaOffer,
			message: introductionMessage
		},
		on('2026-07-04')
	);
});

describe('insights on a known world', () => {
	it('counts only public records in the headline', () => {
		const { headline } = stats.insights(db, {}, NOW);
		const placed = world.filter((r) => r.kind !== 'offer' && r.countries !== 'global');
		const share = (test: (code: string) => boolean) =>
			placed.filter((r) => test((r.countries as string[])[0])).length / placed.length;
		expect(headline).toEqual({
			caseStudies: count('case_study'),
			cities: verified.filter((o) => o.isCity).length,
			partners: verified.filter((o) => !o.isCity).length,
			openNeeds: count('need'),
			openOffers: count('offer'),
			partnerships: {
				proposed: 1,
				agreed: 1,
				active: 0,
				completed: 1,
				discontinued: 0,
				total: count('partnership')
			},
			countriesReached: new Set(placed.map((r) => (r.countries as string[])[0])).size,
			developingShare: share((code) => places[code].income !== 'H'),
			ldcShare: share((code) => places[code].ldc)
		});
		expect(headline).toMatchObject({ caseStudies: 4, openNeeds: 3, openOffers: 2 });
		expect(headline.partnerships.total).toBe(3);
	});

	it('fills the matrix from public records only', () => {
		const { matrix } = stats.insights(db, {}, NOW);
		for (const cell of matrix.cells) {
			for (const kind of stats.statsKinds) {
				const expected = world.filter(
					(r) => r.kind === kind && r.themes.includes(cell.theme) && r.sdgs.includes(cell.sdg)
				).length;
				expect(cell.counts[kind], `${kind} ${cell.theme} × ${cell.sdg}`).toBe(expected);
			}
		}
		// The hidden records are all tagged N × 11.c: that cell stays empty.
		const hidden = matrix.cells.find((cell) => cell.theme === 'N' && cell.sdg === '11.c')!;
		expect(hidden.counts).toEqual({ case_study: 0, need: 0, offer: 0, partnership: 0 });
	});

	it('places records in countries, offers where they serve, global offers apart', () => {
		const insights = stats.insights(db, {}, NOW);
		const expected = new Map<string, Record<stats.StatsKind, number>>();
		for (const record of world) {
			if (record.countries === 'global') continue;
			for (const code of record.countries) {
				const counts = expected.get(code) ?? { case_study: 0, need: 0, offer: 0, partnership: 0 };
				counts[record.kind] += 1;
				expected.set(code, counts);
			}
		}
		expect(insights.countries).toEqual(
			[...expected]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([country, counts]) => ({ country, counts }))
		);
		expect(insights.globalOffers).toBe(world.filter((r) => r.countries === 'global').length);
	});

	it('counts every month from the first record to now, zeros kept', () => {
		const { months } = stats.insights(db, {}, NOW);
		expect(months[0].month).toBe('2026-02');
		expect(months.at(-1)!.month).toBe('2026-11');
		expect(months).toHaveLength(10);
		for (const { month, counts } of months) {
			for (const kind of stats.statsKinds) {
				expect(counts[kind], `${kind} ${month}`).toBe(
					world.filter((r) => r.kind === kind && r.month === month).length
				);
			}
		}
	});

	it('shows the gap: the Rwandan need has no plausible offer (restricted and closed ones do not count)', () => {
		const { gap } = stats.insights(db, {}, NOW);
		const row = (dimension: string, value: string) =>
			gap.rows.find((r) => r.dimension === dimension && r.value === value)!;
		expect(gap.rows[0]).toMatchObject({ needsWithoutOffer: 1 });
		// dimension, value, open needs, serving offers, needs without a plausible offer
		const expected: [string, string, number, number, number][] = [
			['theme', 'E', 1, 0, 1],
			['sdg', '11.5', 1, 1, 0],
			['sdg', '11.3', 1, 1, 0],
			['region', '202', 2, 2, 1],
			['region', '035', 1, 1, 0],
			['theme', 'N', 0, 0, 0]
		];
		for (const [dimension, value, openNeeds, servingOffers, needsWithoutOffer] of expected) {
			expect(row(dimension, value)).toEqual({
				dimension,
				value,
				openNeeds,
				servingOffers,
				needsWithoutOffer
			});
		}
		const totalNeeds = gap.rows
			.filter((r) => r.dimension === 'theme')
			.reduce((sum, r) => sum + r.openNeeds, 0);
		expect(totalNeeds).toBe(count('need'));
	});

	it('follows the pipeline of public partnerships only', () => {
		const { pipeline } = stats.insights(db, {}, NOW);
		expect(pipeline).toEqual({
			byStatus: { proposed: 1, agreed: 1, active: 0, completed: 1, discontinued: 0 },
			// Three behind public partnerships, one pending and one declined between public listings.
			introductions: { requested: 5, accepted: 3, declined: 1, pending: 1 },
			// From the introduction: 20 days (Kenya) and 14 days (Rwanda) to agreement.
			medianDaysToAgreement: 17,
			medianDaysToCompletion: 30,
			// Kenya's agreed partnership: nothing since 30 April, more than six months before NOW.
			stale: 1
		});
	});

	const filterCases: [string, stats.StatsFilters][] = [
		['a region', { region: ['002'] }],
		['a sub-region', { region: ['035'] }],
		['two regions', { region: ['019', '150'] }],
		['an income group', { income: ['L'] }],
		['two income groups', { income: ['LM', 'UM'] }],
		['a theme', { theme: ['S'] }],
		['two targets', { sdg: ['11.3', '11.a'] }],
		['a cooperation type', { cooperation: ['financial'] }],
		['a period', { from: '2026-04', to: '2026-05' }],
		['from only', { from: '2026-06' }],
		['a region and a theme', { region: ['002'], theme: ['E'] }]
	];
	it.each(filterCases)('narrows every count by %s', (_, filters) => {
		const insights = stats.insights(db, filters, NOW);
		expect(insights.filters).toEqual(filters);
		expect(insights.headline.caseStudies).toBe(count('case_study', filters));
		expect(insights.headline.openNeeds).toBe(count('need', filters));
		expect(insights.headline.openOffers).toBe(count('offer', filters));
		expect(insights.headline.partnerships.total).toBe(count('partnership', filters));
		const organisationsKept = verified.filter((o) =>
			keeps(
				{
					kind: 'case_study',
					countries: [o.country],
					themes: [],
					sdgs: [],
					cooperation: [],
					month: ''
				},
				{ region: filters.region, income: filters.income }
			)
		);
		expect(insights.headline.cities).toBe(organisationsKept.filter((o) => o.isCity).length);
		expect(insights.headline.partners).toBe(organisationsKept.filter((o) => !o.isCity).length);
		for (const kind of stats.statsKinds) {
			const inMatrix = insights.matrix.cells.reduce((sum, cell) => sum + cell.counts[kind], 0);
			const expected = world
				.filter((r) => r.kind === kind && keeps(r, filters))
				.reduce((sum, r) => sum + r.themes.length * r.sdgs.length, 0);
			expect(inMatrix, kind).toBe(expected);
			const inMonths = insights.months.reduce((sum, month) => sum + month.counts[kind], 0);
			expect(inMonths, kind).toBe(count(kind, filters));
		}
		const byStatus = Object.values(insights.pipeline.byStatus).reduce((a, b) => a + b, 0);
		expect(byStatus).toBe(count('partnership', filters));
	});

	it('narrows the counts to less than everything for each filter', () => {
		const everything = stats.insights(db, {}, NOW).headline;
		for (const [, filters] of filterCases) {
			const narrowed = stats.insights(db, filters, NOW).headline;
			expect(
				narrowed.caseStudies +
					narrowed.openNeeds +
					narrowed.openOffers +
					narrowed.partnerships.total
			).toBeLessThan(
				everything.caseStudies +
					everything.openNeeds +
					everything.openOffers +
					everything.partnerships.total
			);
		}
	});

	it('never counts the private partnership, whatever the filter', () => {
		// It is the only record tagged N × 11.c outside the hidden listings and case studies.
		const insights = stats.insights(db, { theme: ['N'] }, NOW);
		expect(insights.headline.partnerships.total).toBe(0);
		expect(insights.pipeline.introductions.requested).toBe(0);
		expect(insights.headline.caseStudies).toBe(0);
		expect(insights.headline.openNeeds).toBe(0);
		expect(insights.countries).toEqual([]);
		expect(partnershipIds.privateOne).toBeTruthy();
	});

	it('matches the flat rows of each view to the figures', () => {
		const insights = stats.insights(db, {}, NOW);
		const headline = stats.viewRows(insights, 'headline');
		expect(headline.columns).toEqual(['figure', 'value']);
		expect(headline.rows).toContainEqual({ figure: 'caseStudies', value: count('case_study') });
		expect(headline.rows).toContainEqual({ figure: 'partnerships.total', value: 3 });
		const matrix = stats.viewRows(insights, 'matrix');
		expect(matrix.columns).toEqual(['theme', 'sdg', 'case_study', 'need', 'offer', 'partnership']);
		expect(matrix.rows).toHaveLength(60);
		expect(matrix.rows).toContainEqual({
			theme: 'S',
			sdg: '11.5',
			case_study: 2,
			need: 1,
			offer: 1,
			partnership: 1
		});
		expect(stats.viewRows(insights, 'countries').rows).toHaveLength(insights.countries.length);
		expect(stats.viewRows(insights, 'months').rows).toHaveLength(insights.months.length);
		expect(stats.viewRows(insights, 'gap').rows).toEqual(insights.gap.rows);
		expect(stats.viewRows(insights, 'pipeline').rows).toContainEqual({
			figure: 'medianDaysToAgreement',
			value: 17
		});
	});
});
