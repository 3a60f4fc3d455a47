import { openDatabase } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import { queryServerDb } from '../support/http-client';
import { needInput, offerInput } from '../support/listing-fixtures';
import { partnershipAt } from '../support/partnership-fixtures';
import { caseStudyIn, makeModerator, organisationIn } from '../support/stats-fixtures';

/**
 * A small known world for the insights' HTTP tests, written into a server's own database through
 * the domain functions, with records that must never count beside each kind that counts:
 * unpublished case studies, restricted needs and offers, private partnerships. The restricted
 * and unpublished ones all carry theme N and target 11.4, which no public record uses; only the
 * private partnership carries J and 11.7.
 *
 * `expected` then counts from the database with plain SQL, independently of the stats module.
 */

const at = (month: string, day = 10) =>
	new Date(`${month}-${String(day).padStart(2, '0')}T12:00:00Z`);

export function seedInsightsWorld(dbPath: string) {
	const db = openDatabase(dbPath);
	try {
		const moderator = makeModerator(db);
		const kenya = organisationIn(db, 'KE', { verified: true });
		const ethiopia = organisationIn(db, 'ET', { verified: true });
		const brazil = organisationIn(db, 'BR');
		const partner = organisationIn(db, 'FR', { kind: 'ngo', verified: true });

		caseStudyIn(db, kenya, moderator, {
			themes: ['S'],
			sdgTargets: ['11.5'],
			country: 'KE',
			at: at('2026-08')
		});
		caseStudyIn(db, ethiopia, moderator, {
			themes: ['S', 'E'],
			sdgTargets: ['11.5', '11.6'],
			country: 'ET',
			at: at('2026-09')
		});
		caseStudyIn(db, brazil, moderator, {
			themes: ['O'],
			sdgTargets: ['11.3'],
			country: 'BR',
			at: at('2026-10')
		});
		for (const state of ['draft', 'submitted'] as const) {
			caseStudyIn(db, kenya, moderator, {
				themes: ['N'],
				sdgTargets: ['11.4'],
				country: 'KE',
				state,
				at: at('2026-10')
			});
		}

		const need = (organisation: typeof kenya, month: string, values: Record<string, unknown>) =>
			listings.createNeed(
				db,
				organisation.actor,
				organisation.organisationId,
				needInput(values),
				at(month)
			).id;
		need(kenya, '2026-09', {
			themes: ['S'],
			sdgTargets: ['11.5'],
			cooperationTypes: ['technological']
		});
		// Nothing offers global cooperation for 11.c: cooperation is missing there.
		need(ethiopia, '2026-10', {
			themes: ['G'],
			sdgTargets: ['11.c'],
			cooperationTypes: ['financial']
		});
		need(kenya, '2026-10', {
			themes: ['N'],
			sdgTargets: ['11.4'],
			cooperationTypes: ['financial'],
			visibility: 'verified'
		});

		const offer = (month: string, values: Record<string, unknown>) =>
			listings.createOffer(db, partner.actor, partner.organisationId, offerInput(values), at(month))
				.id;
		offer('2026-09', { themes: ['S'], sdgTargets: ['11.5'], regions: ['002'] });
		offer('2026-10', {
			themes: ['N'],
			sdgTargets: ['11.4'],
			isGlobal: true,
			regions: [],
			visibility: 'verified'
		});

		// Each brings a city (Kenya) with a need and a partner (France) with an offer of its own.
		const publicActive = partnershipAt(db, 'active', { public: true, now: at('2026-10', 15) });
		const publicCompleted = partnershipAt(db, 'completed', { public: true, now: at('2026-11', 2) });
		const privateProposed = partnershipAt(db, 'proposed', {
			now: at('2026-11', 3),
			city: { need: { themes: ['J'], sdgTargets: ['11.7'] } },
			partner: { offer: { themes: ['J'], sdgTargets: ['11.7'] } }
		});
		return {
			partnerships: {
				publicActive: publicActive.partnershipId,
				publicCompleted: publicCompleted.partnershipId,
				privateProposed: privateProposed.partnershipId
			}
		};
	} finally {
		db.$client.close();
	}
}

const publishedCases = `FROM case_study cs WHERE cs.workflow_state = 'published'`;
const openNeeds = (now: number) =>
	`FROM need n WHERE n.visibility = 'public' AND n.status = 'open' AND n.expires_at > ${now}`;
const openOffers = (now: number) =>
	`FROM offer o WHERE o.visibility = 'public' AND o.status = 'open' AND (o.deadline IS NULL OR o.deadline > ${now})`;
const publicPartnerships = `FROM partnership p WHERE NOT EXISTS (SELECT 1 FROM partnership_party pp WHERE pp.partnership_id = p.id AND pp.consents_to_publish = 0)`;

/** The figures as plain SQL counts them, for the records in the database now. */
export function expected(dbPath: string, now = Date.now()) {
	const count = (sql: string, ...params: unknown[]) =>
		queryServerDb<{ n: number }>(dbPath, `SELECT COUNT(*) AS n ${sql}`, ...params)[0].n;
	const verified = (kind: 'city' | 'other') =>
		count(
			`FROM organisation WHERE verification_state = 'verified' AND kind ${kind === 'city' ? '=' : '<>'} 'city'`
		);
	const byStatus = Object.fromEntries(
		['proposed', 'agreed', 'active', 'completed', 'discontinued'].map((status) => [
			status,
			count(`${publicPartnerships} AND p.status = ?`, status)
		])
	);
	/** Published case studies tagged with both (theme, target). */
	const caseCell = (theme: string, sdg: string) =>
		count(
			`${publishedCases} AND EXISTS (SELECT 1 FROM case_study_tag t WHERE t.case_study_id = cs.id AND t.vocabulary = 'theme' AND t.value = ?) AND EXISTS (SELECT 1 FROM case_study_tag t WHERE t.case_study_id = cs.id AND t.vocabulary = 'sdg_target' AND t.value = ?)`,
			theme,
			sdg
		);
	const needCell = (theme: string, sdg: string) =>
		count(
			`${openNeeds(now)} AND EXISTS (SELECT 1 FROM need_tag t WHERE t.need_id = n.id AND t.vocabulary = 'theme' AND t.value = ?) AND EXISTS (SELECT 1 FROM need_tag t WHERE t.need_id = n.id AND t.vocabulary = 'sdg_target' AND t.value = ?)`,
			theme,
			sdg
		);
	const partnershipsTagged = (theme: string, sdg: string) =>
		count(
			`FROM partnership p WHERE EXISTS (SELECT 1 FROM partnership_tag t WHERE t.partnership_id = p.id AND t.vocabulary = 'theme' AND t.value = ?) AND EXISTS (SELECT 1 FROM partnership_tag t WHERE t.partnership_id = p.id AND t.vocabulary = 'sdg_target' AND t.value = ?)`,
			theme,
			sdg
		);
	const casesByCountry = Object.fromEntries(
		queryServerDb<{ country: string; n: number }>(
			dbPath,
			`SELECT cs.country_code AS country, COUNT(*) AS n ${publishedCases} AND cs.country_code IS NOT NULL GROUP BY cs.country_code`
		).map(({ country, n }) => [country, n])
	);
	const casesByMonth = Object.fromEntries(
		queryServerDb<{ month: string; n: number }>(
			dbPath,
			`SELECT strftime('%Y-%m', cs.published_at / 1000, 'unixepoch') AS month, COUNT(*) AS n ${publishedCases} GROUP BY month`
		).map(({ month, n }) => [month, n])
	);
	const casesInRegion = (region: string) =>
		count(
			`${publishedCases} AND cs.country_code IN (SELECT code FROM country WHERE region_code = ? OR subregion_code = ?)`,
			region,
			region
		);
	const casesWithTheme = (theme: string) =>
		count(
			`${publishedCases} AND EXISTS (SELECT 1 FROM case_study_tag t WHERE t.case_study_id = cs.id AND t.vocabulary = 'theme' AND t.value = ?)`,
			theme
		);
	return {
		headline: {
			caseStudies: count(publishedCases),
			cities: verified('city'),
			partners: verified('other'),
			openNeeds: count(openNeeds(now)),
			openOffers: count(openOffers(now)),
			partnerships: {
				...byStatus,
				total: Object.values(byStatus).reduce((sum, n) => sum + n, 0)
			}
		},
		/** Every record in the tables, published or not: what the figures must stay below. */
		allRecords: {
			caseStudies: count('FROM case_study'),
			needs: count('FROM need'),
			offers: count('FROM offer'),
			partnerships: count('FROM partnership')
		},
		caseCell,
		needCell,
		partnershipsTagged,
		casesByCountry,
		casesByMonth,
		casesInRegion,
		casesWithTheme
	};
}
