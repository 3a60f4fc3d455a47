/**
 * Writes a published case study, its verified owner and a verified second organisation into the
 * browser suite's server database through the domain functions (the same code the pages call).
 * Run by `seedCaseStudy` in seed-case.ts with tsx, which resolves `$lib` from tsconfig; the
 * browser suite itself has no `$lib` alias.
 *
 *   tsx tests/e2e/support/seed-case-script.ts <database> '<options JSON>'
 */
import * as accounts from '../../../src/lib/server/accounts';
import * as caseStudies from '../../../src/lib/server/case-studies';
import { openDatabase, type Db } from '../../../src/lib/server/db';
import * as organisations from '../../../src/lib/server/organisations';
import type { SeedCaseOptions } from './seed-case';

const nairobiCityId = '184745';

async function verifiedOrganisation(db: Db, person: SeedCaseOptions['owner'], name: string) {
	const account = await accounts.createUser(db, { ...person, emailVerified: true });
	const organisation = organisations.createOrganisation(
		db,
		account.id,
		organisations.organisationInput.parse({
			name,
			kind: 'city',
			country: 'KE',
			city: nairobiCityId,
			website: 'https://nairobi.go.ke',
			description: 'A city office in the case page browser tests.',
			languages: ['en']
		})
	);
	// The verification flow has its own journeys; here the badge is only a precondition.
	db.$client
		.prepare("UPDATE organisation SET verification_state = 'verified' WHERE id = ?")
		.run(organisation.id);
	return { actor: { id: account.id, siteRole: 'member' as const }, ...organisation };
}

async function main() {
	const [databasePath, optionsJson] = process.argv.slice(2);
	const options = JSON.parse(optionsJson) as SeedCaseOptions;
	const db = openDatabase(databasePath);
	try {
		const owner = await verifiedOrganisation(db, options.owner, options.ownerOrganisation);
		const validator = await verifiedOrganisation(
			db,
			options.validator,
			options.validatorOrganisation
		);
		const input = caseStudies.caseStudyInput.parse({
			title: options.title,
			summary:
				'Three night markets replaced diesel lamps with solar street lights that trader committees maintain.',
			context: 'Night markets were **dark** and unsafe after 7 pm.',
			objectives: '- Light every market lane\n- Cut diesel costs',
			whatWasDone: 'The city installed 120 solar lights and trained market committees.',
			enablingFactors: 'Committed trader committees.',
			constraints: 'Theft of panels in the first months.',
			lessons: 'Involve traders from the start.',
			transferability: 'A maintenance budget and an organised trader association.',
			stakeholders: [
				{ name: 'Market traders association', role: 'Co-designed the lanes' },
				{
					name: options.validatorOrganisation,
					role: 'Technical partner',
					organisation: validator.slug
				}
			],
			startYear: 2021,
			endYear: 2024,
			status: 'implemented',
			budget: { amount: 250000, currency: 'USD' },
			fundingModels: ['municipal_budget', 'official_development_assistance'],
			results: [
				{
					indicator: 'Market lanes lit after dark',
					sdgIndicator: '11.6.2',
					baseline: '0',
					result: '42',
					unit: 'lanes',
					year: 2023,
					source: 'https://nairobi.go.ke/solar-markets-report-2023'
				},
				{
					indicator: 'Diesel spent on lighting per month',
					baseline: '1,200',
					result: '0',
					unit: 'litres',
					year: 2023
				}
			],
			standards: ['IEC 62124'],
			sources: [{ title: 'City press release', url: 'https://nairobi.go.ke/solar-markets' }],
			themes: ['E', 'S'],
			sdgTargets: ['11.6', '11.7'],
			domains: ['energy', 'safety'],
			technologies: ['iot'],
			beneficiaryGroups: ['women', 'informal_workers']
		});
		const created = caseStudies.createDraft(db, owner.actor, {
			organisationId: owner.id,
			input
		});
		caseStudies.publish(db, owner.actor, created.id);
		console.log(JSON.stringify({ slug: created.slug, validatorOrganisationId: validator.id }));
	} finally {
		db.$client.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
