import { describe, expect, it } from 'vitest';
import {
	compareRanked,
	evaluateNeedOffer,
	needOfferTotal,
	scoreNeedOffer,
	type ExclusionCode,
	type NeedProfile,
	type OfferProfile,
	type Scored
} from './score';
import { buildVectors, termsOf } from './text';
import { needOfferWeights } from './weights';

const now = Date.UTC(2026, 10, 28);
const day = 86_400_000;

const corpus = buildVectors([
	termsOf('Flood early warning sensors for informal settlements along the river'),
	termsOf('Flood early warning systems: river sensors and SMS alerts for settlements'),
	termsOf('Bus rapid transit planning and fare integration'),
	termsOf('Solid waste collection routes and recycling cooperatives')
]);
const [floodNeedText, floodOfferText, busText] = corpus.vectors;

function need(overrides: Partial<NeedProfile> = {}): NeedProfile {
	return {
		id: 'need-1',
		organisationId: 'city-org',
		status: 'open',
		expiresAt: now + 300 * day,
		createdAt: now - 10 * day,
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['capacity_building'],
		languages: ['fr'],
		place: {
			countryCode: 'SN',
			countryName: 'Senegal',
			regionCode: '002',
			subregionCode: '202',
			incomeGroup: 'LM',
			isLdc: true
		},
		text: floodNeedText,
		...overrides
	};
}

function offer(overrides: Partial<OfferProfile> = {}): OfferProfile {
	return {
		id: 'offer-1',
		organisationId: 'partner-org',
		status: 'open',
		deadline: null,
		createdAt: now - 5 * day,
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['capacity_building'],
		languages: ['fr'],
		isGlobal: false,
		regions: ['202'],
		countries: [],
		capacity: null,
		capacityUsed: 0,
		eligibleIncomeGroups: [],
		onlyLeastDeveloped: false,
		text: floodOfferText,
		trackRecord: { caseStudies: [], partnerships: [] },
		...overrides
	};
}

const context = { now, locale: 'en' as const, words: corpus.words };

function scored(n: NeedProfile, o: OfferProfile): Scored {
	const result = scoreNeedOffer(n, o, context);
	if ('excluded' in result) throw new Error(`excluded: ${result.excluded}`);
	return result;
}

const reasonOf = (result: Scored, code: string) => result.reasons.find((r) => r.code === code);

describe('scoreNeedOffer: hard exclusions', () => {
	const cases: [string, Partial<NeedProfile>, Partial<OfferProfile>, ExclusionCode][] = [
		['closed need', { status: 'closed' }, {}, 'need_closed'],
		['matched need', { status: 'matched' }, {}, 'need_closed'],
		['expired need', { expiresAt: now - 1 }, {}, 'need_expired'],
		['need expiring right now', { expiresAt: now }, {}, 'need_expired'],
		['closed offer', {}, { status: 'closed' }, 'offer_closed'],
		['offer past its deadline', {}, { deadline: now - 2 * day }, 'offer_expired'],
		['same organisation', {}, { organisationId: 'city-org' }, 'same_organisation'],
		[
			'no cooperation type in common',
			{},
			{ cooperationTypes: ['financial'] },
			'no_common_cooperation'
		],
		['empty cooperation types', { cooperationTypes: [] }, {}, 'no_common_cooperation'],
		['serves another region', {}, { regions: ['419'] }, 'not_served'],
		['serves no place at all', {}, { regions: [] }, 'not_served'],
		['income group not eligible', {}, { eligibleIncomeGroups: ['L'] }, 'not_eligible'],
		[
			'unclassified income when groups are required',
			{ place: { ...need().place, incomeGroup: null } },
			{ eligibleIncomeGroups: ['L', 'LM'] },
			'not_eligible'
		],
		[
			'least developed only, city not LDC',
			{ place: { ...need().place, isLdc: false } },
			{ onlyLeastDeveloped: true },
			'not_eligible'
		],
		['no place left', {}, { capacity: 3, capacityUsed: 3 }, 'no_capacity'],
		['more used than capacity', {}, { capacity: 1, capacityUsed: 2 }, 'no_capacity']
	];
	it.each(cases)('%s', (_, needChanges, offerChanges, code) => {
		expect(scoreNeedOffer(need(needChanges), offer(offerChanges), context)).toEqual({
			excluded: code
		});
	});

	it('keeps an offer on its deadline day and an in-discussion need', () => {
		expect('score' in scoreNeedOffer(need(), offer({ deadline: now }), context)).toBe(true);
		expect('score' in scoreNeedOffer(need({ status: 'in_discussion' }), offer(), context)).toBe(
			true
		);
	});
});

describe('scoreNeedOffer: each reason adds to the score', () => {
	const base = offer();
	const cases: [string, string, Partial<NeedProfile>, Partial<OfferProfile>][] = [
		['a shared SDG target', 'sdg_targets', {}, {}],
		['a shared theme', 'themes', {}, {}],
		['a shared language', 'language', {}, {}],
		['similar texts', 'text', {}, {}],
		['a country served by name', 'geography', {}, { countries: ['SN'] }],
		[
			'a track record on the targets',
			'track_record',
			{},
			{ trackRecord: { caseStudies: [['11.5']], partnerships: [['11.5', '11.b']] } }
		],
		['an offer reserved for the city', 'eligibility', {}, { onlyLeastDeveloped: true }]
	];
	it.each(cases)('%s', (_, code, needChanges, offerChanges) => {
		const result = scored(need(needChanges), offer({ ...base, ...offerChanges }));
		const reason = reasonOf(result, code);
		expect(reason, code).toBeDefined();
		expect(reason!.detail.points).toBeGreaterThan(0);
		expect(reason!.label).toMatch(/\s/);
		expect(reason!.detail.criterion.length).toBeGreaterThan(0);
	});

	const removals: [string, string, Partial<NeedProfile>, Partial<OfferProfile>][] = [
		['SDG targets', 'sdg_targets', {}, { sdgTargets: ['11.2'] }],
		['themes', 'themes', {}, { themes: ['E'] }],
		['languages', 'language', {}, { languages: ['en'] }],
		['text', 'text', {}, { text: busText }],
		['eligibility (open to all scores less)', 'eligibility', {}, { eligibleIncomeGroups: [] }]
	];
	it.each(removals)('losing %s lowers the score', (_, code, needChanges, offerChanges) => {
		const full = scored(
			need(needChanges),
			offer({ eligibleIncomeGroups: ['LM'], countries: ['SN'] })
		);
		const less = scored(
			need(needChanges),
			offer({ eligibleIncomeGroups: ['LM'], countries: ['SN'], ...offerChanges })
		);
		expect(less.score, code).toBeLessThan(full.score);
	});

	it('ranks country over sub-region over region over global', () => {
		const geography = (changes: Partial<OfferProfile>) =>
			reasonOf(scored(need(), offer({ regions: [], ...changes })), 'geography')!.detail.points;
		const country = geography({ countries: ['SN'] });
		const subregion = geography({ regions: ['202'] });
		const region = geography({ regions: ['002'] });
		const global = geography({ isGlobal: true });
		expect(country).toBeGreaterThan(subregion);
		expect(subregion).toBeGreaterThan(region);
		expect(region).toBeGreaterThan(global);
	});

	it('prefers covering all the cooperation sought, and a specialist to a generalist', () => {
		const twoSought = need({ cooperationTypes: ['capacity_building', 'financial'] });
		const one = scored(twoSought, offer());
		const both = scored(twoSought, offer({ cooperationTypes: ['capacity_building', 'financial'] }));
		expect(both.score).toBeGreaterThan(one.score);
		const specialist = scored(need(), offer());
		const generalist = scored(need(), offer({ sdgTargets: ['11.5', '11.1', '11.2', '11.3'] }));
		expect(specialist.score).toBeGreaterThan(generalist.score);
	});

	it('a single place left or a close deadline weighs less than open availability', () => {
		const open = reasonOf(scored(need(), offer()), 'availability')!.detail.points;
		const lastPlace = reasonOf(
			scored(need(), offer({ capacity: 2, capacityUsed: 1 })),
			'availability'
		)!;
		const closing = reasonOf(scored(need(), offer({ deadline: now + 5 * day })), 'availability')!;
		expect(lastPlace.detail.points).toBeLessThan(open);
		expect(closing.detail.points).toBeLessThan(open);
		expect(lastPlace.label).toBe('1 place left');
		expect(closing.label).toMatch(/apply by December 3, 2026/);
	});

	it('track record counts completed partnerships more than case studies, and saturates', () => {
		const record = (caseStudies: string[][], partnerships: string[][]) =>
			reasonOf(
				scored(need(), offer({ trackRecord: { caseStudies, partnerships } })),
				'track_record'
			)?.detail.points ?? 0;
		expect(record([['11.5']], [])).toBeLessThan(record([], [['11.5']]));
		expect(record([['11.2']], [])).toBe(0);
		expect(record([['11.5'], ['11.5'], ['11.5']], [['11.5'], ['11.5']])).toBe(
			needOfferWeights.trackRecord
		);
	});
});

describe('scoreNeedOffer: words, shares, limits', () => {
	it('says why in plain words, with shares adding up to 1', () => {
		const result = scored(
			need({ sdgTargets: ['11.5', '11.b'] }),
			offer({
				sdgTargets: ['11.5', '11.b'],
				trackRecord: { caseStudies: [], partnerships: [['11.5'], ['11.5']] }
			})
		);
		const details = result.reasons.map((r) => r.label);
		expect(details).toContain('Shares SDG targets 11.5 and 11.b');
		expect(details).toContain('Serves Sub-Saharan Africa');
		expect(details).toContain('Both work in French');
		expect(details).toContain('Has completed 2 partnerships on 11.5');
		expect(details).toContain('Shares the theme Sustainable and safe city');
		expect(details.find((d) => d.startsWith('Similar wording:'))).toMatch(/flood/);
		const total = result.reasons.reduce((sum, r) => sum + r.weight, 0);
		expect(total).toBeCloseTo(1, 5);
		const points = result.reasons.reduce((sum, r) => sum + r.detail.points, 0);
		expect(Math.abs(points - result.score)).toBeLessThanOrEqual(1);
		for (let i = 1; i < result.reasons.length; i += 1) {
			expect(result.reasons[i - 1].weight).toBeGreaterThanOrEqual(result.reasons[i].weight);
		}
	});

	it('speaks French', () => {
		const result = scoreNeedOffer(need(), offer({ countries: ['SN'] }), {
			...context,
			locale: 'fr'
		}) as Scored;
		const details = result.reasons.map((r) => r.label);
		expect(details).toContain('Partage la cible ODD 11.5');
		expect(details).toContain('Travaillent tous deux en français');
		expect(details).toContain('Intervient dans cette zone : Senegal');
	});

	it('a perfect pair stays within 100 and an empty-tag pair still scores', () => {
		const perfect = scored(
			need(),
			offer({
				countries: ['SN'],
				onlyLeastDeveloped: true,
				text: floodNeedText,
				trackRecord: { caseStudies: [], partnerships: [['11.5'], ['11.5']] }
			})
		);
		expect(perfect.score).toBe(100);
		const bare = scored(
			need({
				themes: [],
				sdgTargets: [],
				languages: [],
				text: { ids: new Uint32Array(), weights: new Float32Array() }
			}),
			offer({ themes: [], sdgTargets: [], languages: [], isGlobal: true, regions: [] })
		);
		expect(bare.score).toBeGreaterThan(0);
		expect(bare.score).toBeLessThan(30);
		expect(bare.reasons.map((r) => r.code)).not.toContain('sdg_targets');
		expect(bare.reasons.map((r) => r.code)).not.toContain('language');
		expect(Number.isInteger(bare.score)).toBe(true);
	});

	it('is deterministic: the same input gives the same output', () => {
		const a = scoreNeedOffer(need(), offer(), context);
		const b = scoreNeedOffer(need(), offer(), context);
		expect(a).toEqual(b);
		expect(JSON.stringify(a)).toBe(JSON.stringify(b));
	});
});

describe('compareRanked: ties', () => {
	const ranked = (id: string, total: number, createdAt: number) => ({ id, total, createdAt });
	const cases: [string, ReturnType<typeof ranked>[], string[]][] = [
		['higher rounded score first', [ranked('a', 50.2, 0), ranked('b', 61, 0)], ['b', 'a']],
		['equal rounded: unrounded total', [ranked('a', 50.2, 0), ranked('b', 50.4, 0)], ['b', 'a']],
		['equal total: newer first', [ranked('a', 50, 1), ranked('b', 50, 2)], ['b', 'a']],
		['all equal: id ascending', [ranked('b', 50, 1), ranked('a', 50, 1)], ['a', 'b']]
	];
	it.each(cases)('%s', (_, items, order) => {
		expect(
			items
				.slice()
				.sort(compareRanked)
				.map((item) => item.id)
		).toEqual(order);
		expect(
			items
				.slice()
				.reverse()
				.sort(compareRanked)
				.map((item) => item.id)
		).toEqual(order);
	});

	it('two offers equal but for their id always come in the same order', () => {
		const one = offer({ id: 'b' });
		const two = offer({ id: 'a' });
		const rank = (offers: OfferProfile[]) =>
			offers
				.map((o) => {
					const e = evaluateNeedOffer(need(), o, now);
					if ('excluded' in e) throw new Error('excluded');
					return { id: o.id, total: e.total, createdAt: o.createdAt };
				})
				.sort(compareRanked)
				.map((item) => item.id);
		expect(rank([one, two])).toEqual(['a', 'b']);
		expect(rank([two, one])).toEqual(['a', 'b']);
	});
});

describe('needOfferTotal: the ranking shortcut', () => {
	const cases: [string, Partial<NeedProfile>, Partial<OfferProfile>][] = [
		['a plain pair', {}, {}],
		[
			'a country served, reserved, last place',
			{},
			{ countries: ['SN'], onlyLeastDeveloped: true, capacity: 2, capacityUsed: 1 }
		],
		[
			'a track record and a close deadline',
			{},
			{
				trackRecord: { caseStudies: [['11.5']], partnerships: [['11.5']] },
				deadline: now + 3 * day
			}
		],
		[
			'no shared targets, other text',
			{ sdgTargets: ['11.2'] },
			{ text: busText, isGlobal: true, regions: [] }
		],
		[
			'empty tags',
			{ themes: [], sdgTargets: [], languages: [] },
			{ themes: [], sdgTargets: [], languages: [] }
		]
	];
	it.each(cases)('equals the full evaluation: %s', (_, needChanges, offerChanges) => {
		const evaluation = evaluateNeedOffer(need(needChanges), offer(offerChanges), now);
		if ('excluded' in evaluation) throw new Error('excluded');
		expect(needOfferTotal(need(needChanges), offer(offerChanges), now)).toBe(evaluation.total);
	});

	it('is -1 for an excluded pair', () => {
		expect(needOfferTotal(need({ status: 'closed' }), offer(), now)).toBe(-1);
		expect(needOfferTotal(need(), offer({ regions: ['419'] }), now)).toBe(-1);
		expect(needOfferTotal(need(), offer({ capacity: 1, capacityUsed: 1 }), now)).toBe(-1);
	});
});
