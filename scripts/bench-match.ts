/**
 * `npm run bench:match`: matching on a large synthetic set. Builds a temporary database with the
 * real migrations, inserts organisations, open offers, needs, published case studies and
 * partnerships directly (drizzle, in batches), then times the matches of one need
 * (matchesForNeed: offers, partners, case studies, peer needs) and of one offer
 * (matchesForOffer) for many random picks: cold (the per-connection profile cache dropped before
 * each run, so the run reads every profile), first after a listing write (an offer touched
 * through the connection: every profile read again, the terms of unchanged texts kept), first
 * after an unrelated write (a rate limit and an outbox row: the copy kept) and warm.
 *
 *   npm run bench:match                                     # 10,000 offers, 5,000 needs
 *   npm run bench:match -- --offers 20000 --needs 10000 --runs 500 --keep
 *   npm run bench:match -- --db /tmp/…/bench.db             # time again on a kept database
 *
 * Texts are windows of the demo listings' words, tags drawn from the real vocabularies; the
 * generator is seeded, so two runs with the same options match the same data.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import needData from '../db/demo/needs.json';
import offerData from '../db/demo/offers.json';
import countryData from '../db/reference/countries.json';
import {
	benchDatabase,
	compileMessages,
	drawing,
	latencyCells,
	machineSummary,
	seededRandom
} from './bench-support';

const { values: options } = parseArgs({
	options: {
		needs: { type: 'string', default: '5000' },
		offers: { type: 'string', default: '10000' },
		runs: { type: 'string', default: '200' },
		'cold-runs': { type: 'string', default: '10' },
		batch: { type: 'string', default: '500' },
		keep: { type: 'boolean', default: false },
		db: { type: 'string' }
	}
});
const needCount = Number(options.needs);
const offerCount = Number(options.offers);
const runs = Number(options.runs);
const coldRuns = Number(options['cold-runs']);
const batchSize = Number(options.batch);
if (
	![needCount, offerCount, runs, coldRuns, batchSize].every((n) => Number.isInteger(n) && n > 0)
) {
	console.error('--needs, --offers, --runs, --cold-runs and --batch take positive whole numbers');
	process.exit(2);
}

const random = seededRandom(20261128);
const { pick, between, some } = drawing(random);

const streams = [
	...needData.map((n) => `${n.challenge} ${n.triedSoFar ?? ''}`),
	...offerData.map((o) => o.description)
].map((text) =>
	text
		.replace(/^\s*[-*]\s+/gm, '')
		.split(/\s+/)
		.filter(Boolean)
);
const allWords = streams.flat();
function passage(length: number): string {
	const stream = pick(streams);
	const start = between(0, Math.max(0, stream.length - length));
	return stream
		.slice(start, start + length)
		.map((word) => (random() < 0.15 ? pick(allWords) : word))
		.join(' ');
}
const titles = [...needData.map((n) => n.title), ...offerData.map((o) => o.title)];
const title = () =>
	pick(titles)
		.split(' ')
		.map((word) => (random() < 0.3 ? pick(allWords) : word))
		.join(' ');

async function main() {
	await compileMessages();
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const table = await import('../src/lib/server/db/schema');
	const matching = await import('../src/lib/server/matching');
	const { forgetMatchingData, fullReadCount } =
		await import('../src/lib/server/matching/candidates');
	const { themeIds } = await import('../src/lib/vocab/themes');
	const { sdgTargetIds } = await import('../src/lib/vocab/sdg');
	const vocab = await import('../src/lib/vocab/vocabularies');
	const { regionCodes, subregionCodes } = await import('../src/lib/vocab/regions');
	const { offerFormats, needTimeframes } = await import('../src/lib/vocab/matchmaking');

	const database = benchDatabase('match', options.db);
	const { reused, path: dbPath } = database;
	const db = openDatabase(dbPath);
	const languages = ['en', 'fr', 'es', 'pt', 'ar', 'sw', 'ru'];
	const now = Date.now();
	const day = 86_400_000;
	try {
		runMigrations(db);
		let insertMs = 0;
		if (!reused) {
			const started = performance.now();
			const countries = countryData.countries.filter((c) => c.regionCode !== '010');
			db.insert(table.country)
				.values(
					countries.map((c) => ({
						code: c.alpha2,
						alpha3: c.alpha3,
						numeric: c.numeric,
						nameEn: c.nameEn,
						nameFr: c.nameFr,
						regionCode: c.regionCode,
						regionName: c.regionName,
						subregionCode: c.subregionCode,
						subregionName: c.subregionName,
						incomeGroup: c.incomeGroup as 'L' | 'LM' | 'UM' | 'H' | null,
						isLdc: c.isLdc
					}))
				)
				.onConflictDoNothing()
				.run();
			const developing = countries.filter((c) => c.incomeGroup !== 'H');
			const cityOrgs = Array.from({ length: Math.max(50, Math.round(needCount / 5)) }, (_, i) => ({
				id: `city-${i}`,
				slug: `city-${i}`,
				name: `City ${i}`,
				kind: 'city' as const,
				countryCode: pick(developing).alpha2,
				languages: some(languages, 1, 2)
			}));
			const partnerKinds = [
				'ngo',
				'academia',
				'international_organisation',
				'private_sector'
			] as const;
			const partnerOrgs = Array.from(
				{ length: Math.max(50, Math.round(offerCount / 10)) },
				(_, i) => ({
					id: `partner-${i}`,
					slug: `partner-${i}`,
					name: `Partner ${i}`,
					kind: pick(partnerKinds),
					countryCode: pick(countries).alpha2,
					languages: some(languages, 1, 3)
				})
			);
			const organisations = [...cityOrgs, ...partnerOrgs];
			for (let i = 0; i < organisations.length; i += batchSize) {
				db.insert(table.organisation)
					.values(organisations.slice(i, i + batchSize))
					.run();
			}

			const insertBatches = <Row>(
				count: number,
				make: (index: number) => { row: Row; tags: { vocabulary: string; value: string }[] },
				write: (
					rows: Row[],
					tags: { id: string; vocabulary: string; value: string; position: number }[]
				) => void,
				idOf: (row: Row) => string,
				label: string
			) => {
				for (let done = 0; done < count; done += batchSize) {
					const rows: Row[] = [];
					const tags: { id: string; vocabulary: string; value: string; position: number }[] = [];
					for (let i = done; i < Math.min(count, done + batchSize); i += 1) {
						const made = make(i);
						rows.push(made.row);
						made.tags.forEach((tag, position) =>
							tags.push({ id: idOf(made.row), ...tag, position })
						);
					}
					db.transaction(() => write(rows, tags));
					process.stdout.write(
						`\r${label} ${Math.min(count, done + batchSize).toLocaleString('en')} / ${count.toLocaleString('en')}`
					);
				}
				process.stdout.write('\n');
			};
			const listingTags = (extra: { vocabulary: string; value: string }[] = []) => [
				...some(themeIds, 1, 3).map((value) => ({ vocabulary: 'theme', value })),
				...some(sdgTargetIds, 1, 3).map((value) => ({ vocabulary: 'sdg_target', value })),
				...some(vocab.cooperationTypes, 1, 3).map((value) => ({
					vocabulary: 'cooperation',
					value
				})),
				...extra
			];

			insertBatches(
				offerCount,
				(i) => {
					const isGlobal = random() < 0.3;
					const where = isGlobal
						? []
						: [
								...some(
									[
										...regionCodes.filter((r) => r !== '010'),
										...subregionCodes.filter((r) => r !== '010')
									],
									1,
									2
								).map((value) => ({ vocabulary: 'region', value })),
								...(random() < 0.3
									? some(developing, 1, 3).map((c) => ({ vocabulary: 'country', value: c.alpha2 }))
									: [])
							];
					return {
						row: {
							id: `offer-${i}`,
							organisationId: pick(partnerOrgs).id,
							title: title(),
							description: `${passage(between(40, 90))}\n\n${passage(between(30, 70))}`,
							format: pick(offerFormats),
							languages: some(languages, 1, 3),
							isGlobal,
							capacity: random() < 0.5 ? null : between(2, 20),
							eligibleIncomeGroups: random() < 0.3 ? some(['L', 'LM', 'UM'], 1, 3) : [],
							onlyLeastDeveloped: random() < 0.05,
							deadline: random() < 0.5 ? null : new Date(now + between(10, 400) * day),
							visibility: random() < 0.1 ? ('verified' as const) : ('public' as const),
							status: 'open' as const,
							createdAt: new Date(now - between(0, 700) * day)
						},
						tags: listingTags(where)
					};
				},
				(rows, tags) => {
					db.insert(table.offer).values(rows).run();
					db.insert(table.offerTag)
						.values(
							tags.map(
								({ id, ...tag }) => ({ offerId: id, ...tag }) as typeof table.offerTag.$inferInsert
							)
						)
						.run();
				},
				(row) => row.id,
				'offers'
			);
			insertBatches(
				needCount,
				(i) => ({
					row: {
						id: `need-${i}`,
						organisationId: pick(cityOrgs).id,
						title: title(),
						challenge: `${passage(between(50, 110))}\n\n${passage(between(30, 80))}`,
						triedSoFar: random() < 0.6 ? passage(between(10, 40)) : '',
						languages: some(languages, 0, 2),
						timeframe: pick(needTimeframes),
						visibility: random() < 0.1 ? ('verified' as const) : ('public' as const),
						status:
							random() < 0.8
								? ('open' as const)
								: pick(['in_discussion', 'matched', 'closed'] as const),
						expiresAt: new Date(now + between(10, 700) * day),
						createdAt: new Date(now - between(0, 700) * day)
					},
					tags: listingTags()
				}),
				(rows, tags) => {
					db.insert(table.need).values(rows).run();
					db.insert(table.needTag)
						.values(
							tags.map(
								({ id, ...tag }) => ({ needId: id, ...tag }) as typeof table.needTag.$inferInsert
							)
						)
						.run();
				},
				(row) => row.id,
				'needs'
			);
			// Track records: published case studies and partnerships (completed, public, and others).
			insertBatches(
				Math.round(offerCount / 5),
				(i) => {
					const organisation = pick(organisations);
					return {
						row: {
							id: `case-${i}`,
							slug: `case-${i}`,
							organisationId: organisation.id,
							countryCode: organisation.countryCode,
							title: title(),
							summary: passage(between(25, 45)),
							startYear: between(2010, 2025),
							status: pick(['pilot', 'implemented', 'scaled'] as const),
							workflowState: 'published' as const,
							validationCount: between(0, 3),
							publishedAt: new Date(now - between(0, 1500) * day),
							lastReviewedAt: new Date(now)
						},
						tags: listingTags().filter((tag) => tag.vocabulary !== 'cooperation')
					};
				},
				(rows, tags) => {
					db.insert(table.caseStudy).values(rows).run();
					db.insert(table.caseStudyTag)
						.values(
							tags.map(
								({ id, ...tag }) =>
									({ caseStudyId: id, ...tag }) as typeof table.caseStudyTag.$inferInsert
							)
						)
						.run();
				},
				(row) => row.id,
				'case studies'
			);
			insertBatches(
				Math.round(offerCount / 5),
				(i) => ({
					row: {
						id: `partnership-${i}`,
						title: title(),
						status: pick([
							'proposed',
							'agreed',
							'active',
							'completed',
							'completed',
							'discontinued'
						] as const),
						needId: `need-${between(0, needCount - 1)}`,
						offerId: `offer-${between(0, offerCount - 1)}`,
						lastActivityAt: new Date(now - between(0, 400) * day)
					},
					tags: listingTags().filter((tag) => tag.vocabulary !== 'cooperation' || random() < 0.5)
				}),
				(rows, tags) => {
					db.insert(table.partnership).values(rows).run();
					db.insert(table.partnershipTag)
						.values(
							tags.map(
								({ id, ...tag }) =>
									({ partnershipId: id, ...tag }) as typeof table.partnershipTag.$inferInsert
							)
						)
						.run();
					const consents = random() < 0.7;
					db.insert(table.partnershipParty)
						.values(
							rows.flatMap((row) => [
								{
									partnershipId: row.id,
									organisationId: pick(cityOrgs).id,
									role: 'beneficiary' as const,
									consentsToPublish: consents,
									position: 0
								},
								{
									partnershipId: row.id,
									organisationId: pick(partnerOrgs).id,
									role: 'lead' as const,
									consentsToPublish: true,
									position: 1
								}
							])
						)
						.run();
				},
				(row) => row.id,
				'partnerships'
			);
			insertMs = performance.now() - started;
		}
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const size = statSync(dbPath).size;

		const needIds = db.$client
			.prepare(`SELECT id FROM need WHERE status IN ('open', 'in_discussion')`)
			.pluck()
			.all() as string[];
		const offerIds = db.$client
			.prepare(`SELECT id FROM offer WHERE status = 'open'`)
			.pluck()
			.all() as string[];
		// The picks of the timed runs: their own seed, so the data and the picks vary independently.
		const timings = drawing(seededRandom(7));
		const actors = [null, { id: 'bench-moderator', siteRole: 'moderator' as const }];
		type CacheState = 'cold' | 'after an unrelated write' | 'after a listing write' | 'warm';
		// What the running server writes all the time (rate limits, the outbox), and a listing
		// edit: both through the timed connection, as the server has one.
		let writes = 0;
		const writeBefore = (cache: CacheState) => {
			writes += 1;
			if (cache === 'cold') forgetMatchingData(db, { texts: true });
			else if (cache === 'after an unrelated write') {
				db.insert(table.rateLimit)
					.values({ key: `bench-${writes}`, count: 1, resetAt: new Date(now + day) })
					.run();
				db.insert(table.emailOutbox)
					.values({ toAddress: 'bench@example.org', subject: 'Bench', body: 'Bench.' })
					.run();
			} else if (cache === 'after a listing write') {
				db.$client
					.prepare('UPDATE offer SET updated_at = ? WHERE id = ?')
					.run(now + writes, timings.pick(offerIds));
			}
		};
		const measure = (kind: 'need' | 'offer', cache: CacheState, count: number) => {
			const times: number[] = [];
			const sizes: number[] = [];
			const reads = fullReadCount();
			for (let i = 0; i < count; i += 1) {
				const id = kind === 'need' ? timings.pick(needIds) : timings.pick(offerIds);
				const actor = actors[i % 2];
				writeBefore(cache);
				const start = performance.now();
				const result =
					kind === 'need'
						? matching.matchesForNeed(db, actor, id, { limit: 10 })
						: matching.matchesForOffer(db, actor, id, { limit: 10 });
				times.push(performance.now() - start);
				if (result) sizes.push('offers' in result ? result.offers.length : result.needs.length);
			}
			return { times, sizes, reads: fullReadCount() - reads };
		};
		// Warm-up: JIT and one load of the cache.
		measure('need', 'warm', 20);
		measure('offer', 'warm', 20);
		const rows = [
			['matches of one need, cold (nothing in memory)', measure('need', 'cold', coldRuns)],
			['matches of one offer, cold (nothing in memory)', measure('offer', 'cold', coldRuns)],
			[
				'matches of one need, first after a listing write (profiles reread, terms kept)',
				measure('need', 'after a listing write', coldRuns)
			],
			[
				'matches of one offer, first after a listing write',
				measure('offer', 'after a listing write', coldRuns)
			],
			[
				'matches of one need, first after an unrelated write (rate limit, outbox)',
				measure('need', 'after an unrelated write', runs)
			],
			[
				'matches of one offer, first after an unrelated write',
				measure('offer', 'after an unrelated write', runs)
			],
			['matches of one need, warm', measure('need', 'warm', runs)],
			['matches of one offer, warm', measure('offer', 'warm', runs)]
		] as const;

		const machine = machineSummary();
		console.log(
			`\nMachine: ${machine}. ${offerIds.length.toLocaleString('en')} open offers, ${needIds.length.toLocaleString('en')} active needs ` +
				`(${needCount.toLocaleString('en')} in all)` +
				(reused ? ' in a kept database' : `, inserted in ${(insertMs / 1000).toFixed(1)} s`) +
				`, database ${(size / 2 ** 20).toFixed(0)} MiB. Random picks, anonymous and moderator alternately, 10 matches of each kind.\n`
		);
		console.log(
			'| what | runs | full reads | p50 ms | p95 ms | p99 ms | max ms | median matches returned |'
		);
		console.log('|---|---|---|---|---|---|---|---|');
		for (const [what, { times, sizes, reads }] of rows) {
			const medianSize = sizes.slice().sort((a, b) => a - b)[Math.floor(sizes.length / 2)] ?? 0;
			console.log(
				`| ${what} | ${times.length} | ${reads} | ${latencyCells(times)} | ${medianSize} |`
			);
		}
	} finally {
		db.$client.close();
		database.finish(options.keep);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
