/**
 * `npm run bench:pages`: page weight and server latency of the public pages, measured on the real
 * build (`npm run build` first) with the demo content in a fresh database. Prints a Markdown table
 * for BENCHMARKS.md. REQUESTS sets the number of timed requests per page (default 200). Sizes are
 * the bytes sent to a browser that accepts brotli: the app compresses what it renders, and
 * adapter-node serves the built assets precompressed.
 */
import { get } from 'node:http';
import { queryServerDb } from '../tests/support/http-client';
import { startBuiltServer } from '../tests/support/server';
import { fixed, machineSummary, percentile } from './bench-support';

const requests = Number(process.env.REQUESTS ?? 200);
const warmUp = 20;

/** The stylesheets a page links. */
function stylesheetsOf(html: string): string[] {
	const styles: string[] = [];
	for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
		const href = tag.match(/\bhref="([^"]+)"/)?.[1];
		if (href && /\brel="stylesheet"/.test(tag)) styles.push(href);
	}
	return styles;
}

/**
 * The JavaScript a page runs at hydration: SvelteKit's two entry modules, the route's nodes (the
 * `node_ids` of the inline start script) and every module they import statically.
 */
async function scriptsOf(pageUrl: URL, html: string): Promise<URL[]> {
	const entries = [...html.matchAll(/import\("([^"]+\.js)"\)/g)].map(
		([, src]) => new URL(src, pageUrl)
	);
	const app = entries.find((url) => url.pathname.includes('/entry/app.'));
	if (!app) return [];
	const appSource = await (await fetch(app)).text();
	const nodeFiles = new Map(
		[...appSource.matchAll(/"(\.\.\/nodes\/(\d+)\.[\w-]+\.js)"/g)].map(([, path, id]) => [
			Number(id),
			new URL(path, app)
		])
	);
	const nodeIds = JSON.parse(html.match(/node_ids: (\[[\d, ]*\])/)?.[1] ?? '[]') as number[];
	const queue = [...entries, ...nodeIds.flatMap((id) => nodeFiles.get(id) ?? [])];
	const seen = new Map<string, URL>();
	while (queue.length > 0) {
		const url = queue.shift()!;
		if (seen.has(url.href)) continue;
		seen.set(url.href, url);
		const source = await (await fetch(url)).text();
		for (const [, path] of source.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.js)"/g)) {
			queue.push(new URL(path, url));
		}
	}
	return [...seen.values()];
}

/** As a browser asks; fetch would decode the answer, so the bytes are counted over node:http. */
const acceptEncoding = { 'accept-encoding': 'br, gzip' };

function sentBytes(url: URL | string): Promise<number> {
	return new Promise((resolve, reject) => {
		get(url, { headers: acceptEncoding }, (response) => {
			let bytes = 0;
			response.on('data', (chunk: Buffer) => (bytes += chunk.length));
			response.on('end', () => resolve(bytes));
			response.on('error', reject);
		}).on('error', reject);
	});
}

async function sentTotal(urls: URL[]): Promise<number> {
	let total = 0;
	for (const url of urls) total += await sentBytes(url);
	return total;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function main() {
	// Every request comes from one address: lift the anonymous API limit so it measures the pages.
	const server = await startBuiltServer({ DEMO_CONTENT: 'true', RATE_LIMIT_SCALE: '1000' });
	try {
		const [published] = queryServerDb<{ slug: string }>(
			server.dbPath,
			"SELECT slug FROM case_study WHERE workflow_state = 'published' ORDER BY published_at DESC LIMIT 1"
		);
		const [need] = queryServerDb<{ id: string }>(
			server.dbPath,
			"SELECT id FROM need WHERE status = 'open' AND visibility = 'public' ORDER BY created_at DESC LIMIT 1"
		);
		const [offer] = queryServerDb<{ id: string }>(
			server.dbPath,
			"SELECT id FROM offer WHERE status = 'open' AND visibility = 'public' ORDER BY created_at DESC LIMIT 1"
		);
		const [partnership] = queryServerDb<{ id: string }>(
			server.dbPath,
			`SELECT id FROM partnership p WHERE NOT EXISTS (SELECT 1 FROM partnership_party
			 WHERE partnership_id = p.id AND NOT consents_to_publish) ORDER BY created_at DESC LIMIT 1`
		);
		// Rows name the page, not the demo record it happened to pick.
		const placeholders = [
			[published.slug, '{slug}'],
			[need.id, '{id}'],
			[offer.id, '{id}'],
			[partnership.id, '{id}']
		];
		const pages = [
			'/',
			'/cases',
			'/cases?theme=S&sort=validated',
			`/cases/${published.slug}`,
			'/themes/S',
			'/sdg/11.2',
			'/organisations',
			'/search',
			'/search?q=water',
			'/search?q=bus+rapid+transit&theme=S&region=002',
			'/api/v1/case-studies',
			'/api/v1/search?q=water',
			'/feeds/case-studies.atom',
			'/needs',
			`/needs/${need.id}`,
			'/offers',
			`/offers/${offer.id}`,
			'/partnerships',
			`/partnerships/${partnership.id}`,
			'/api/v1/needs',
			`/api/v1/needs/${need.id}/matches`,
			`/api/v1/offers/${offer.id}/matches`,
			'/insights',
			'/insights?region=002&theme=S&map=need',
			'/api/v1/stats',
			'/api/v1/stats?view=matrix&income=L&income=LM',
			'/open-data',
			'/api/v1/docs',
			'/api/v1/openapi.json',
			'/feeds/needs.atom',
			'/api/v1/iati/activities.xml'
		];
		const rows: string[] = [];
		for (const page of pages) {
			const url = `${server.url}${page}`;
			for (let i = 0; i < warmUp; i += 1) {
				await (await fetch(url, { headers: acceptEncoding })).arrayBuffer();
			}
			const times: number[] = [];
			let body = '';
			for (let i = 0; i < requests; i += 1) {
				const start = performance.now();
				const response = await fetch(url, { headers: acceptEncoding });
				body = await response.text();
				times.push(performance.now() - start);
				if (!response.ok) throw new Error(`${page} answered ${response.status}`);
			}
			times.sort((a, b) => a - b);
			const html = await sentBytes(url);
			const js = await sentTotal(await scriptsOf(new URL(url), body));
			const css = await sentTotal(stylesheetsOf(body).map((href) => new URL(href, url)));
			const label = placeholders.reduce((path, [id, name]) => path.replace(id, name), page);
			rows.push(
				`| \`${label}\` | ${kb(Buffer.byteLength(body))} | ${kb(html)} | ${kb(js)} | ${kb(css)} | ${fixed(percentile(times, 50))} | ${fixed(percentile(times, 95))} |`
			);
		}
		console.log(
			`Machine: ${machineSummary()}; ${requests} sequential requests per page after ${warmUp} warm-up, demo content.\n`
		);
		console.log(
			'| page | HTML KiB | HTML sent KiB | JS sent KiB | CSS sent KiB | p50 ms | p95 ms |'
		);
		console.log('|---|---|---|---|---|---|---|');
		for (const row of rows) console.log(row);
	} finally {
		await server.stop();
	}
}

await main();
