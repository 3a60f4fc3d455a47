/**
 * What the benchmark scripts (`scripts/bench-*.ts`) share: seeded synthetic data, the timing
 * figures of their Markdown tables, the machine line above them, the temporary database and the
 * Paraglide messages the vocabulary labels need.
 */
import { compile } from '@inlang/paraglide-js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { paraglideOptions } from '../paraglide.options.js';

/** mulberry32: small, fast, seeded; the same data on every run. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Draws from `random`: one item, a whole number in a range, or several distinct items. */
export function drawing(random: () => number) {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
	function some<T>(items: readonly T[], low: number, high: number): T[] {
		const chosen = new Set<T>();
		const wanted = Math.min(items.length, between(low, high));
		while (chosen.size < wanted) chosen.add(pick(items));
		return [...chosen];
	}
	return { pick, between, some };
}

/** The nearest-rank percentile `p` (0–100) of times sorted in ascending order. */
export function percentile(sorted: readonly number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Milliseconds as the tables write them. */
export const fixed = (ms: number) => ms.toFixed(1);

/** The p50, p95, p99 and max of `times` (any order) as Markdown table cells, in ms. */
export function latencyCells(times: readonly number[]): string {
	const sorted = times.slice().sort((a, b) => a - b);
	return [50, 95, 99]
		.map((p) => fixed(percentile(sorted, p)))
		.concat(fixed(sorted[sorted.length - 1]))
		.join(' | ');
}

/** The cores, memory and Node version the figures were measured on. */
export function machineSummary(): string {
	return `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
}

/** The vocabulary labels come from Paraglide; compile them if no build or check has yet. */
export async function compileMessages(): Promise<void> {
	if (!existsSync('./src/lib/paraglide/messages.js')) await compile(paraglideOptions);
}

/**
 * The bench database: the one `--db` names (`given`, timed again and kept), or a new file in a
 * temporary folder that `finish` removes unless asked to keep it. Exits if `given` is missing.
 */
export function benchDatabase(name: string, given: string | undefined) {
	const reused = given !== undefined;
	if (reused && !existsSync(given)) {
		console.error(`--db: no database at ${given}`);
		process.exit(2);
	}
	const dir = reused ? null : mkdtempSync(join(tmpdir(), `citybridge-bench-${name}-`));
	const path = resolve(given ?? join(dir!, 'bench.db'));
	return {
		path,
		reused,
		finish(keep: boolean) {
			if (keep || reused) console.log(`\nDatabase kept at ${path}`);
			else rmSync(dir!, { recursive: true, force: true });
		}
	};
}

/** The benchmarks start servers as the HTTP tests do, on a port free at the time of asking. */
export { freePort } from '../tests/support/server';
