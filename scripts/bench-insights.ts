/**
 * `npm run bench:insights`: the insights (`stats.insights()`, the figures behind /insights and
 * GET /api/v1/stats) on a large synthetic set. Builds a temporary database with the real
 * migrations and inserts, with prepared statements in one transaction per table, 100,000
 * published case studies (plus drafts), 20,000 public partnerships (plus private ones) with their
 * parties, status changes and introductions, 5,000 needs and 2,000 offers (a tenth restricted)
 * and 3,000 organisations in every country. Then times `insights()` without filters and with
 * several: cold (every fact read), first after a need is written (only needs and offers read
 * again), first after a case study is published, first after an unrelated write, and warm.
 * Last, unless `--skip-http`, it starts the production build (`build/`, copied first under the
 * build lock so a rebuild cannot change it midway) on the same database and times
 * `GET /insights` and `GET /api/v1/stats` over HTTP.
 *
 *   npm run bench:insights
 *   npm run bench:insights -- --cases 20000 --partnerships 4000 --runs 100 --keep
 *   npm run bench:insights -- --db /tmp/…/bench.db       # time again on a kept database
 *
 * The generator is seeded, so two runs with the same options build the same data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import countryData from '../db/reference/countries.json';
import {
	benchDatabase,
	compileMessages,
	drawing,
	freePort,
	latencyCells,
	machineSummary,
	seededRandom
} from './bench-support';

const { values: options } = parseArgs({
	options: {
		cases: { type: 'string', default: '100000' },
		partnerships: { type: 'string', default: '20000' },
		needs: { type: 'string', default: '5000' },
		offers: { type: 'string', default: '2000' },
		organisations: { type: 'string', default: '3000' },
		runs: { type: 'string', default: '200' },
		'cold-runs': { type: 'string', default: '10' },
		'http-runs': { type: 'string', default: '100' },
		'skip-http': { type: 'boolean', default: false },
		/** The server indexes every record for search at its first start: minutes at this size. */
		'http-start-seconds': { type: 'string', default: '900' },
		keep: { type: 'boolean', default: false },
		db: { type: 'string' }
	}
});
const counts = {
	cases: Number(options.cases),
	partnerships: Number(options.partnerships),
	needs: Number(options.needs),
	offers: Number(options.offers),
	organisations: Number(options.organisations),
	runs: Number(options.runs),
	coldRuns: Number(options['cold-runs']),
	httpRuns: Number(options['http-runs'])
};
if (!Object.values(counts).every((n) => Number.isInteger(n) && n > 0)) {
	console.error(
		'--cases, --partnerships, --needs, --offers, --organisations, --runs, --cold-runs and --http-runs take positive whole numbers'
	);
	process.exit(2);
}

const random = seededRandom(20261128);
const { pick, between, some } = drawing(random);

const DAY = 86_400_000;

async function main() {
	await compileMessages();
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const stats = await import('../src/lib/server/stats');
	const { themeIds } = await import('../src/lib/vocab/themes');
	const { sdgTargetIds } = await import('../src/lib/vocab/sdg');
	const vocab = await import('../src/lib/vocab/vocabularies');
	const { regionCodes, subregionCodes } = await import('../src/lib/vocab/regions');

	const database = benchDatabase('insights', options.db);
	const { reused, path: dbPath } = database;
	const db = openDatabase(dbPath);
	const client = db.$client;
	const now = Date.now();
	let insertMs = 0;
	let httpRows: [string, number[]][] = [];
	let httpNote = '';
	try {
		runMigrations(db);
		if (!reused) {
			const started = performance.now();
			const countries = countryData.countries.filter((c) => c.regionCode !== '010');
			const insertCountry = client.prepare(
				`INSERT OR IGNORE INTO country (code, alpha3, numeric, name_en, name_fr, region_code, region_name,
				   subregion_code, subregion_name, income_group, is_ldc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			);
			client.transaction(() => {
				for (const c of countries) {
					insertCountry.run(
						c.alpha2,
						c.alpha3,
						c.numeric,
						c.nameEn,
						c.nameFr,
						c.regionCode,
						c.regionName,
						c.subregionCode,
						c.subregionName,
						c.incomeGroup,
						c.isLdc ? 1 : 0
					);
				}
			})();
			const developing = countries.filter((c) => c.incomeGroup !== 'H');
			const partnerKinds = ['ngo', 'academia', 'international_organisation', 'private_sector'];
			const insertOrganisation = client.prepare(
				`INSERT INTO organisation (id, slug, name, kind, country_code, verification_state)
				 VALUES (?, ?, ?, ?, ?, ?)`
			);
			const cityIds: string[] = [];
			const partnerIds: string[] = [];
			client.transaction(() => {
				for (let i = 0; i < counts.organisations; i += 1) {
					const isCity = i % 3 !== 0;
					const id = `org-${i}`;
					(isCity ? cityIds : partnerIds).push(id);
					insertOrganisation.run(
						id,
						id,
						`Organisation ${i}`,
						isCity ? 'city' : pick(partnerKinds),
						isCity ? pick(developing).alpha2 : pick(countries).alpha2,
						random() < 0.6 ? 'verified' : 'unverified'
					);
				}
			})();
			const countryOf = new Map(
				(
					client.prepare('SELECT id, country_code FROM organisation').raw().all() as [
						string,
						string
					][]
				).map(([id, code]) => [id, code])
			);

			const tagsOf = (withCooperation: boolean) => [
				...some(themeIds, 1, 2).map((value) => ['theme', value]),
				...some(sdgTargetIds, 1, 3).map((value) => ['sdg_target', value]),
				...(withCooperation
					? some(vocab.cooperationTypes, 1, 2).map((value) => ['cooperation', value])
					: [])
			];
			const progress = (label: string, done: number, total: number) => {
				if (done % 5000 === 0 || done === total) {
					process.stdout.write(
						`\r${label} ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`
					);
					if (done === total) process.stdout.write('\n');
				}
			};

			// Case studies: the published ones, and a tenth as many drafts that must not count.
			const insertCase = client.prepare(
				`INSERT INTO case_study (id, slug, organisation_id, country_code, title, summary, start_year,
				   status, workflow_state, published_at, last_reviewed_at, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, 'Summary.', ?, 'implemented', ?, ?, ?, ?, ?)`
			);
			const insertCaseTag = client.prepare(
				'INSERT INTO case_study_tag (case_study_id, vocabulary, value, position) VALUES (?, ?, ?, ?)'
			);
			const caseTotal = counts.cases + Math.round(counts.cases / 10);
			client.transaction(() => {
				for (let i = 0; i < caseTotal; i += 1) {
					const id = `case-${i}`;
					const organisation = pick([...cityIds, ...partnerIds.slice(0, 50)]);
					const published = i < counts.cases;
					const at = now - between(0, 1500) * DAY;
					insertCase.run(
						id,
						id,
						organisation,
						countryOf.get(organisation),
						`Case ${i}`,
						between(2010, 2025),
						published ? 'published' : 'draft',
						published ? at : null,
						at,
						at,
						at
					);
					tagsOf(false).forEach(([vocabulary, value], position) =>
						insertCaseTag.run(id, vocabulary, value, position)
					);
					progress('case studies', i + 1, caseTotal);
				}
			})();

			const insertNeed = client.prepare(
				`INSERT INTO need (id, organisation_id, title, challenge, timeframe, visibility, status,
				   expires_at, created_at, updated_at)
				 VALUES (?, ?, ?, 'Challenge.', 'within_12_months', ?, ?, ?, ?, ?)`
			);
			const insertNeedTag = client.prepare(
				'INSERT INTO need_tag (need_id, vocabulary, value, position) VALUES (?, ?, ?, ?)'
			);
			client.transaction(() => {
				for (let i = 0; i < counts.needs; i += 1) {
					const id = `need-${i}`;
					const created = now - between(0, 700) * DAY;
					insertNeed.run(
						id,
						pick(cityIds),
						`Need ${i}`,
						random() < 0.1 ? 'verified' : 'public',
						random() < 0.75 ? 'open' : pick(['in_discussion', 'matched', 'closed']),
						now + between(-60, 700) * DAY,
						created,
						created
					);
					tagsOf(true).forEach(([vocabulary, value], position) =>
						insertNeedTag.run(id, vocabulary, value, position)
					);
					progress('needs', i + 1, counts.needs);
				}
			})();

			const insertOffer = client.prepare(
				`INSERT INTO offer (id, organisation_id, title, description, format, is_global, capacity,
				   eligible_income_groups, only_least_developed, deadline, visibility, status, created_at,
				   updated_at)
				 VALUES (?, ?, ?, 'Description.', 'training', ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			);
			const insertOfferTag = client.prepare(
				'INSERT INTO offer_tag (offer_id, vocabulary, value, position) VALUES (?, ?, ?, ?)'
			);
			const places = [
				...regionCodes.filter((r) => r !== '010'),
				...subregionCodes.filter((r) => r !== '010')
			];
			client.transaction(() => {
				for (let i = 0; i < counts.offers; i += 1) {
					const id = `offer-${i}`;
					const isGlobal = random() < 0.2;
					const created = now - between(0, 700) * DAY;
					insertOffer.run(
						id,
						pick(partnerIds),
						`Offer ${i}`,
						isGlobal ? 1 : 0,
						random() < 0.5 ? null : between(2, 20),
						JSON.stringify(random() < 0.3 ? some(['L', 'LM', 'UM'], 1, 3) : []),
						random() < 0.05 ? 1 : 0,
						random() < 0.5 ? null : now + between(-30, 400) * DAY,
						random() < 0.1 ? 'verified' : 'public',
						random() < 0.85 ? 'open' : 'closed',
						created,
						created
					);
					const where = isGlobal
						? []
						: [
								...some(places, 1, 2).map((value) => ['region', value]),
								...(random() < 0.3 ? some(developing, 1, 3).map((c) => ['country', c.alpha2]) : [])
							];
					[...tagsOf(true), ...where].forEach(([vocabulary, value], position) =>
						insertOfferTag.run(id, vocabulary, value, position)
					);
					progress('offers', i + 1, counts.offers);
				}
			})();

			// Partnerships: the public ones, and a fifth as many where a party has not consented.
			const insertPartnership = client.prepare(
				`INSERT INTO partnership (id, title, status, need_id, offer_id, agreed_at, completed_at,
				   last_activity_at, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			);
			const insertParty = client.prepare(
				`INSERT INTO partnership_party (partnership_id, organisation_id, role, consents_to_publish, position)
				 VALUES (?, ?, ?, ?, ?)`
			);
			const insertPartnershipTag = client.prepare(
				'INSERT INTO partnership_tag (partnership_id, vocabulary, value, position) VALUES (?, ?, ?, ?)'
			);
			const insertUpdate = client.prepare(
				`INSERT INTO partnership_update (partnership_id, status_from, status_to, created_at)
				 VALUES (?, ?, ?, ?)`
			);
			const insertIntroduction = client.prepare(
				`INSERT INTO introduction (id, need_id, offer_id, from_organisation_id, to_organisation_id,
				   message, status, partnership_id, created_at)
				 VALUES (?, ?, ?, ?, ?, 'Hello.', ?, ?, ?)`
			);
			const steps = ['proposed', 'agreed', 'active', 'completed'] as const;
			const partnershipTotal = counts.partnerships + Math.round(counts.partnerships / 5);
			client.transaction(() => {
				for (let i = 0; i < partnershipTotal; i += 1) {
					const id = `partnership-${i}`;
					const introduced = now - between(30, 900) * DAY;
					const proposed = introduced + between(1, 20) * DAY;
					const reached = between(0, 3);
					const discontinued = random() < 0.1;
					const dates = [proposed];
					for (let step = 1; step <= reached; step += 1) {
						dates.push(Math.min(now, dates[step - 1] + between(5, 120) * DAY));
					}
					const status = discontinued ? 'discontinued' : steps[reached];
					const last = discontinued ? Math.min(now, dates[reached] + 10 * DAY) : dates[reached];
					const beneficiary = pick(cityIds);
					const lead = pick(partnerIds);
					const needId = `need-${between(0, counts.needs - 1)}`;
					insertPartnership.run(
						id,
						`Partnership ${i}`,
						status,
						needId,
						null,
						reached >= 1 ? dates[1] : null,
						reached >= 3 ? dates[3] : null,
						last,
						proposed,
						last
					);
					const isPublic = i < counts.partnerships;
					insertParty.run(id, beneficiary, 'beneficiary', isPublic ? 1 : 0, 0);
					insertParty.run(id, lead, 'lead', 1, 1);
					tagsOf(true).forEach(([vocabulary, value], position) =>
						insertPartnershipTag.run(id, vocabulary, value, position)
					);
					for (let step = 0; step <= reached; step += 1) {
						insertUpdate.run(id, step ? steps[step - 1] : null, steps[step], dates[step]);
					}
					if (discontinued) insertUpdate.run(id, steps[reached], 'discontinued', last);
					insertIntroduction.run(
						`introduction-${i}`,
						needId,
						null,
						lead,
						beneficiary,
						'accepted',
						id,
						introduced
					);
					progress('partnerships', i + 1, partnershipTotal);
				}
				// Introductions without a partnership: pending, declined, withdrawn.
				for (let i = 0; i < Math.round(counts.partnerships / 4); i += 1) {
					insertIntroduction.run(
						`introduction-open-${i}`,
						`need-${between(0, counts.needs - 1)}`,
						null,
						pick(partnerIds),
						pick(cityIds),
						pick(['pending', 'declined', 'withdrawn']),
						null,
						now - between(0, 400) * DAY
					);
				}
			})();
			client.exec('ANALYZE');
			insertMs = performance.now() - started;
		}
		client.pragma('wal_checkpoint(TRUNCATE)');
		const size = statSync(dbPath).size;

		const filterSets: [string, URLSearchParams][] = [
			['no filter', new URLSearchParams()],
			['region=002 (Africa)', new URLSearchParams('region=002')],
			['region=035 (South-eastern Asia) & income=LM', new URLSearchParams('region=035&income=LM')],
			['theme=E & sdg=11.2 & sdg=11.6', new URLSearchParams('theme=E&sdg=11.2&sdg=11.6')],
			[
				'cooperation=financial & from=2025-01 & to=2026-06',
				new URLSearchParams('cooperation=financial&from=2025-01&to=2026-06')
			]
		];
		const parsed = filterSets.map(
			([label, params]) => [label, stats.parseStatsFilters(params, 'strict').filters] as const
		);
		let writes = 0;
		type CacheState =
			| 'cold'
			| 'after a need write'
			| 'after a case study is published'
			| 'after an unrelated write'
			| 'warm';
		const unpublished = (
			client
				.prepare(`SELECT id FROM case_study WHERE workflow_state = 'draft'`)
				.pluck()
				.all() as string[]
		).slice();
		const writeBefore = (cache: CacheState) => {
			writes += 1;
			if (cache === 'cold') stats.forgetStatsFacts(db);
			else if (cache === 'after a need write') {
				client
					.prepare('UPDATE need SET updated_at = ?, status = status WHERE id = ?')
					.run(now + writes, `need-${writes % counts.needs}`);
			} else if (cache === 'after a case study is published') {
				client
					.prepare(
						`UPDATE case_study SET workflow_state = 'published', published_at = ? WHERE id = ?`
					)
					.run(now, unpublished.pop() ?? 'case-0');
			} else if (cache === 'after an unrelated write') {
				client
					.prepare('INSERT OR REPLACE INTO rate_limit (key, count, reset_at) VALUES (?, 1, ?)')
					.run(`bench-${writes}`, now + DAY);
			}
		};
		const measure = (
			filters: (typeof parsed)[number][1],
			cache: CacheState,
			runs: number
		): { times: number[]; reads: number } => {
			const readsBefore = Object.values(stats.statsFullReads()).reduce((a, b) => a + b, 0);
			const times: number[] = [];
			for (let i = 0; i < runs; i += 1) {
				writeBefore(cache);
				const start = performance.now();
				stats.insights(db, filters);
				times.push(performance.now() - start);
			}
			const readsAfter = Object.values(stats.statsFullReads()).reduce((a, b) => a + b, 0);
			return { times, reads: readsAfter - readsBefore };
		};
		// Warm-up: JIT and the first read of the facts.
		for (const [, filters] of parsed) measure(filters, 'warm', 10);
		const rows: [string, { times: number[]; reads: number }][] = [];
		rows.push([
			'no filter, cold (every fact read)',
			measure(parsed[0][1], 'cold', counts.coldRuns)
		]);
		rows.push([
			'no filter, first after a need write (needs and offers read again)',
			measure(parsed[0][1], 'after a need write', counts.coldRuns)
		]);
		rows.push([
			'no filter, first after a case study is published (case studies read again)',
			measure(parsed[0][1], 'after a case study is published', counts.coldRuns)
		]);
		rows.push([
			'no filter, first after an unrelated write (rate limit)',
			measure(parsed[0][1], 'after an unrelated write', counts.runs)
		]);
		for (const [label, filters] of parsed) {
			rows.push([`${label}, warm`, measure(filters, 'warm', counts.runs)]);
		}

		const [one, five, fifteen] = loadavg();
		const machine = `${machineSummary()}, load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} at the end`;
		console.log(
			`\nMachine: ${machine}. ${counts.cases.toLocaleString('en')} published case studies, ${counts.partnerships.toLocaleString('en')} public partnerships, ` +
				`${counts.needs.toLocaleString('en')} needs, ${counts.offers.toLocaleString('en')} offers, ${counts.organisations.toLocaleString('en')} organisations` +
				(reused ? ' in a kept database' : `, inserted in ${(insertMs / 1000).toFixed(1)} s`) +
				`, database ${(size / 2 ** 20).toFixed(0)} MiB.\n`
		);
		console.log('| insights() | runs | full reads | p50 ms | p95 ms | p99 ms | max ms |');
		console.log('|---|---|---|---|---|---|---|');
		for (const [what, { times, reads }] of rows) {
			console.log(`| ${what} | ${times.length} | ${reads} | ${latencyCells(times)} |`);
		}
		if (!options['skip-http']) {
			client.close();
			// The in-process figures are printed first: an HTTP failure must not lose them.
			try {
				const http = await measureHttp(dbPath, filterSets, counts.httpRuns);
				httpRows = http.rows;
				httpNote = http.note;
			} catch (error) {
				httpNote = `HTTP: not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
			}
		}
		if (httpRows.length) {
			console.log(`\n${httpNote}\n`);
			console.log('| HTTP GET | runs | p50 ms | p95 ms | p99 ms | max ms |');
			console.log('|---|---|---|---|---|---|');
			for (const [what, times] of httpRows) {
				console.log(`| ${what} | ${times.length} | ${latencyCells(times)} |`);
			}
		} else if (httpNote) console.log(`\n${httpNote}`);
	} finally {
		if (client.open) client.close();
		database.finish(options.keep);
	}
}

/**
 * Starts a copy of the production build on the bench database (copied under the build lock, so
 * another engineer's rebuild cannot swap files under it) and times each page and API request,
 * one at a time, after 10 warm-up requests each (the first reads the facts).
 */
async function measureHttp(
	dbPath: string,
	filterSets: [string, URLSearchParams][],
	runs: number
): Promise<{ rows: [string, number[]][]; note: string }> {
	if (!existsSync('build/index.js')) {
		return { rows: [], note: 'HTTP: skipped, no build (run `npm run build` first).' };
	}
	const copy = resolve('tests/.tmp', `bench-insights-build-${process.pid}`);
	const copied = spawnSync('flock', ['/tmp/citybridge-build.lock', 'cp', '-r', 'build', copy]);
	if (copied.status !== 0) {
		// No flock (not Linux): copy without the lock.
		cpSync('build', copy, { recursive: true });
	}
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	const child: ChildProcess = spawn(process.execPath, [join(copy, 'index.js')], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			DATABASE_PATH: dbPath,
			DEMO_CONTENT: 'false',
			LOG_REQUESTS: 'false',
			SMTP_URL: '',
			// The bench is one client asking hundreds of times: no anonymous rate limit in the way.
			RATE_LIMIT_SCALE: '1000000'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	try {
		const startSeconds = Number(options['http-start-seconds']);
		const deadline = Date.now() + startSeconds * 1000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
			if (Date.now() > deadline)
				throw new Error(`server did not start in ${startSeconds} s:\n${log}`);
			const healthy = await fetch(`${url}/health`).then(
				(response) => response.ok,
				() => false
			);
			if (healthy) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		const targets: [string, string][] = [];
		for (const [label, params] of filterSets) {
			const query = params.toString();
			targets.push([`/insights, ${label}`, `/insights${query ? `?${query}` : ''}`]);
		}
		for (const [label, params] of filterSets) {
			const query = params.toString();
			targets.push([`/api/v1/stats, ${label}`, `/api/v1/stats${query ? `?${query}` : ''}`]);
		}
		const rows: [string, number[]][] = [];
		let pageBytes = 0;
		for (const [label, path] of targets) {
			const times: number[] = [];
			for (let i = 0; i < runs + 10; i += 1) {
				const start = performance.now();
				const response = await fetch(`${url}${path}`);
				const body = await response.arrayBuffer();
				const elapsed = performance.now() - start;
				if (response.status !== 200) {
					return {
						rows,
						note: `HTTP: ${path} answered ${response.status}; the HTTP figures stop there.`
					};
				}
				if (path === '/insights') pageBytes = body.byteLength;
				if (i >= 10) times.push(elapsed);
			}
			rows.push([label, times]);
		}
		return {
			rows,
			note: `HTTP: the production build on the same database, one request at a time from the same machine (full answer read), 10 warm-up requests each; /insights without filters is ${(pageBytes / 1024).toFixed(0)} KiB uncompressed.`
		};
	} finally {
		if (child.exitCode === null) {
			await new Promise((done) => {
				child.once('exit', done);
				child.kill('SIGTERM');
			});
		}
		rmSync(copy, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
