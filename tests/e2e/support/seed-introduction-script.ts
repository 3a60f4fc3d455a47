/**
 * Writes a city with a need, a partner with an offer (owned by two people who already have
 * accounts) and a pending introduction from the partner into the browser suite's server database,
 * through the domain functions. Run by tests/e2e/partnerships.test.ts with tsx, which resolves
 * `$lib` from tsconfig; the browser suite itself has no `$lib` alias.
 *
 *   tsx tests/e2e/support/seed-introduction-script.ts <database> '<{ cityEmail, partnerEmail }>'
 */
import { openDatabase } from '../../../src/lib/server/db';
import * as partnerships from '../../../src/lib/server/partnerships';
import { cityWithNeed, partnerWithOffer } from '../../support/listing-fixtures';
import type { TestUser } from '../../support/org-fixtures';

const [databasePath, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson) as { cityEmail: string; partnerEmail: string };
const db = openDatabase(databasePath);
try {
	const userByEmail = (email: string): TestUser => {
		const row = db.$client.prepare('SELECT id, email FROM user WHERE email = ?').get(email) as {
			id: string;
			email: string;
		};
		return { id: row.id, email: row.email, siteRole: 'member' };
	};
	const city = cityWithNeed(db, { owner: userByEmail(options.cityEmail) });
	const partner = partnerWithOffer(db, { owner: userByEmail(options.partnerEmail) });
	const { id } = partnerships.requestIntroduction(db, partner.actor, {
		fromOrganisationId: partner.organisationId,
		needId: city.needId,
		offerId: partner.offerId,
		message: 'We trained three coastal cities in flood alerts and would like to help yours.'
	});
	const name = (organisationId: string) =>
		db.$client.prepare('SELECT name FROM organisation WHERE id = ?').pluck().get(organisationId);
	console.log(
		JSON.stringify({
			introductionId: id,
			cityName: name(city.organisationId),
			partnerName: name(partner.organisationId)
		})
	);
} finally {
	db.$client.close();
}
