/**
 * Writes a city owned by an existing account, with a private partnership that has gone stale and
 * a need restricted to verified organisations, into the browser suite's server database, through
 * the domain functions. Run by tests/e2e/portfolio.test.ts with tsx (the browser suite has no
 * `$lib` alias).
 *
 *   tsx tests/e2e/support/seed-portfolio-script.ts <database> '<{ email, stamp }>'
 */
import { openDatabase } from '../../../src/lib/server/db';
import * as listings from '../../../src/lib/server/needs-offers';
import { needInput } from '../../support/listing-fixtures';
import type { TestUser } from '../../support/org-fixtures';
import { backdateActivity, partnershipAt } from '../../support/partnership-fixtures';

const [databasePath, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson) as { email: string; stamp: string };
const db = openDatabase(databasePath);
try {
	const owner = db.$client
		.prepare('SELECT id, email FROM user WHERE email = ?')
		.get(options.email) as { id: string; email: string };
	const user: TestUser = { id: owner.id, email: owner.email, siteRole: 'member' };
	const cityName = `Portfolio Town ${options.stamp}`;
	const made = partnershipAt(db, 'active', { city: { owner: user, name: cityName } });
	backdateActivity(db, made.partnershipId, new Date(Date.now() - 200 * 86_400_000));
	const partnershipTitle = db.$client
		.prepare('SELECT title FROM partnership WHERE id = ?')
		.pluck()
		.get(made.partnershipId) as string;
	const restrictedNeedTitle = `Restricted drainage need ${options.stamp}`;
	listings.createNeed(
		db,
		made.city.actor,
		made.city.organisationId,
		needInput({ title: restrictedNeedTitle, visibility: 'verified' })
	);
	console.log(
		JSON.stringify({
			slug: made.city.slug,
			cityName,
			partnershipId: made.partnershipId,
			partnershipTitle,
			restrictedNeedTitle
		})
	);
} finally {
	db.$client.close();
}
