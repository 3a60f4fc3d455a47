/**
 * Matching quality on the labelled demo set (tests/support/match-labels.ts): for each labelled
 * need, the share of the top three offers that a broker picked. With fewer than three labelled
 * offers a need can fill only that many places, so the denominator is min(3, labelled offers)
 * (R-precision capped at 3); the strict precision at 3 (always out of 3) is printed beside it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as demo from '../../src/lib/server/demo';
import * as matching from '../../src/lib/server/matching';
import { freshDb } from '../support/db';
import { demoKeyToTitle, demoTitleToKey, matchLabels } from '../support/match-labels';

let db: Db;
/** A moderator sees restricted listings too: the labels include some. */
const broker = { id: 'quality-broker', siteRole: 'moderator' as const };

beforeAll(async () => {
	db = freshDb();
	await demo.seedDemoContent(db, { log: () => {} });
}, 120_000);
afterAll(() => db.$client.close());

function needIdOf(key: string): string {
	const row = db
		.select({ id: table.need.id })
		.from(table.need)
		.where(eq(table.need.title, demoKeyToTitle(key)))
		.get();
	if (!row) throw new Error(`demo need ${key} not seeded`);
	return row.id;
}

describe('matching quality on the labelled demo set', () => {
	it('has at least 30 labelled needs', () => {
		expect(matchLabels.length).toBeGreaterThanOrEqual(30);
	});

	it('puts the offers a broker would pick in the top three (precision at 3 ≥ 0.8)', () => {
		let capped = 0;
		let strict = 0;
		const misses: string[] = [];
		for (const label of matchLabels) {
			const result = matching.matchesForNeed(db, broker, needIdOf(label.need), { limit: 3 });
			expect(result, label.need).not.toBeNull();
			const top = result!.offers.map((match) => demoTitleToKey(match.offer.title) ?? '?');
			const hits = top.filter((key) => label.offers.includes(key)).length;
			capped += hits / Math.min(3, label.offers.length);
			strict += hits / 3;
			if (hits < Math.min(3, label.offers.length)) {
				misses.push(
					`${label.need}: top ${JSON.stringify(top)} (${result!.offers.map((o) => o.score).join(', ')}), wanted ${JSON.stringify(label.offers)}`
				);
			}
		}
		const precision = capped / matchLabels.length;
		console.log(
			`[match-quality] precision at 3: ${precision.toFixed(3)} over ${matchLabels.length} labelled needs ` +
				`(strict, always out of 3: ${(strict / matchLabels.length).toFixed(3)})` +
				(misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : '')
		);
		expect(precision).toBeGreaterThanOrEqual(0.8);
	});
});
