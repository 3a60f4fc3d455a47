/**
 * Loads everything matching compares (need, offer, case study and partner profiles, with their
 * text vectors) into memory once per connection, with indexes by cooperation type and SDG target
 * so a match looks only at candidates that can fit. The copy is read again when this connection
 * has written to what it is read from (temporary triggers count those writes) or another
 * connection has committed (PRAGMA data_version), so a match never misses a change; writes to
 * other tables (sessions, notifications, the outbox) keep it, and a match costs a few
 * milliseconds at 10,000 offers (BENCHMARKS.md, "Matching").
 */
import type Database from 'better-sqlite3';
import type { Db } from '$lib/server/db';
import { watchedCopy, type WatchedTable } from '$lib/server/db/watched-copy';
import type { ListingVisibility, NeedStatus, OfferStatus } from '$lib/vocab/matchmaking';
import type {
	CaseStudyProfile,
	NeedProfile,
	OfferProfile,
	PartnerProfile,
	Place,
	TrackRecord
} from './score';
import { buildVectors, termsOf } from './text';

export interface OrganisationCard {
	id: string;
	slug: string;
	name: string;
	kind: string;
	isVerified: boolean;
	countryCode: string;
	countryNameEn: string;
	countryNameFr: string;
	cityName: string | null;
	place: Place;
	languages: string[];
}

export interface NeedEntry {
	/** Scratch mark of the last walk over the indexes that reached it (index.ts). */
	visited: number;
	profile: NeedProfile;
	organisationId: string;
	title: string;
	visibility: ListingVisibility;
	organisation: OrganisationCard;
}

export interface OfferEntry {
	/** Scratch mark of the last walk over the indexes that reached it (index.ts). */
	visited: number;
	profile: OfferProfile;
	organisationId: string;
	title: string;
	format: string;
	visibility: ListingVisibility;
	organisation: OrganisationCard;
}

export interface CaseStudyEntry {
	/** Scratch mark of the last walk over the indexes that reached it (index.ts). */
	visited: number;
	profile: CaseStudyProfile;
	slug: string;
	title: string;
	summary: string;
	status: string;
	cityName: string | null;
	organisation: OrganisationCard;
}

export interface PartnerEntry {
	/** Scratch mark of the last walk over the indexes that reached it (index.ts). */
	visited: number;
	profile: PartnerProfile;
	organisation: OrganisationCard;
}

export interface MatchingData {
	needs: Map<string, NeedEntry>;
	offers: Map<string, OfferEntry>;
	/** Open offers by cooperation type: a pair needs one type in common. */
	openOffersByCooperation: Map<string, OfferEntry[]>;
	/** Open or in-discussion needs by cooperation type, and by SDG target (peer cities). */
	activeNeedsByCooperation: Map<string, NeedEntry[]>;
	activeNeedsByTarget: Map<string, NeedEntry[]>;
	caseStudiesByTarget: Map<string, CaseStudyEntry[]>;
	/** Organisations with a track record, by the SDG targets it covers. */
	partnersByTarget: Map<string, PartnerEntry[]>;
	/** Needs and offers by organisation, newest first (matches for an organisation's members). */
	needsByOrganisation: Map<string, NeedEntry[]>;
	offersByOrganisation: Map<string, OfferEntry[]>;
	/** The term of each text vector id. */
	words: string[];
}

type Vocabularies = Record<string, string[]>;

function groupTags(rows: [id: string, vocabulary: string, value: string][]) {
	const byId = new Map<string, Vocabularies>();
	for (const [id, vocabulary, value] of rows) {
		let tags = byId.get(id);
		if (!tags) byId.set(id, (tags = {}));
		(tags[vocabulary] ??= []).push(value);
	}
	return byId;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

const parseList = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/**
 * The terms of each text read before, by record, with the text they came from: after a write only
 * the texts that changed are split into terms again (most of a full read's time).
 */
type TermCache = Map<string, { text: string; terms: string[] }>;
const termCaches = new WeakMap<Database.Database, TermCache>();

/** Reads every profile. Synchronous and in one read transaction, so the copy is consistent. */
export function loadMatchingData(client: Database.Database): MatchingData {
	const previous = termCaches.get(client) ?? new Map();
	const next: TermCache = new Map();
	const termsFor = (key: string, text: string) => {
		const known = previous.get(key);
		const terms = known && known.text === text ? known.terms : termsOf(text);
		next.set(key, { text, terms });
		return terms;
	};
	const data = client.transaction(() => readAll(client, termsFor))();
	termCaches.set(client, next);
	return data;
}

function readAll(
	client: Database.Database,
	termsFor: (key: string, text: string) => string[]
): MatchingData {
	const all = <Row>(sql: string) => client.prepare(sql).raw().all() as Row[];

	const organisations = new Map<string, OrganisationCard>();
	for (const [
		id,
		slug,
		name,
		kind,
		languages,
		verificationState,
		countryCode,
		nameEn,
		nameFr,
		regionCode,
		subregionCode,
		incomeGroup,
		isLdc,
		cityName
	] of all<
		[
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string,
			string | null,
			number,
			string | null
		]
	>(
		`SELECT o.id, o.slug, o.name, o.kind, o.languages, o.verification_state, c.code, c.name_en,
		        c.name_fr, c.region_code, c.subregion_code, c.income_group, c.is_ldc, ci.name
		   FROM organisation o
		   JOIN country c ON c.code = o.country_code
		   LEFT JOIN city ci ON ci.id = o.city_id`
	)) {
		organisations.set(id, {
			id,
			slug,
			name,
			kind,
			isVerified: verificationState === 'verified',
			countryCode,
			countryNameEn: nameEn,
			countryNameFr: nameFr,
			cityName,
			languages: parseList(languages),
			place: {
				countryCode,
				countryName: nameEn,
				regionCode,
				subregionCode,
				incomeGroup,
				isLdc: isLdc === 1
			}
		});
	}

	// Track records: published case studies, and public completed partnerships delivered.
	const caseTags = groupTags(
		all(
			`SELECT t.case_study_id, t.vocabulary, t.value FROM case_study_tag t
			   JOIN case_study cs ON cs.id = t.case_study_id
			  WHERE cs.workflow_state = 'published' AND t.vocabulary IN ('theme', 'sdg_target')
			  ORDER BY t.case_study_id, t.vocabulary, t.position`
		)
	);
	const caseRows = all<
		[
			string,
			string,
			string,
			string,
			string,
			string,
			number,
			string | null,
			string,
			string,
			string,
			string | null,
			number,
			string
		]
	>(
		`SELECT cs.id, cs.slug, cs.title, cs.summary, cs.organisation_id, cs.status, cs.validation_count,
		        ci.name, c.code, c.region_code, c.subregion_code, c.income_group, c.is_ldc, c.name_en
		   FROM case_study cs
		   JOIN country c ON c.code = cs.country_code
		   LEFT JOIN city ci ON ci.id = cs.city_id
		  WHERE cs.workflow_state = 'published'
		  ORDER BY cs.id`
	);
	const partnershipTags = groupTags(
		all(
			`SELECT t.partnership_id, t.vocabulary, t.value FROM partnership_tag t
			   JOIN partnership p ON p.id = t.partnership_id
			  WHERE p.status = 'completed' AND t.vocabulary IN ('theme', 'sdg_target')
			  ORDER BY t.partnership_id, t.vocabulary, t.position`
		)
	);
	// Only partnerships every party agreed to publish: a private one is nobody else's business.
	const deliveries = all<[partnershipId: string, organisationId: string, role: string]>(
		`SELECT pp.partnership_id, pp.organisation_id, pp.role FROM partnership_party pp
		   JOIN partnership p ON p.id = pp.partnership_id
		  WHERE p.status = 'completed'
		    AND NOT EXISTS (SELECT 1 FROM partnership_party other
		                     WHERE other.partnership_id = p.id AND other.consents_to_publish = 0)
		  ORDER BY pp.partnership_id, pp.position`
	);

	interface Record {
		caseStudies: string[][];
		partnerships: string[][];
		themes: Set<string>;
		countries: Set<string>;
		regions: Set<string>;
	}
	const records = new Map<string, Record>();
	const recordOf = (organisationId: string) => {
		let record = records.get(organisationId);
		if (!record) {
			record = {
				caseStudies: [],
				partnerships: [],
				themes: new Set(),
				countries: new Set(),
				regions: new Set()
			};
			records.set(organisationId, record);
		}
		return record;
	};
	const addPlace = (record: Record, place: Place) => {
		record.countries.add(place.countryCode);
		if (place.subregionCode) record.regions.add(place.subregionCode);
		if (place.regionCode) record.regions.add(place.regionCode);
	};

	const beneficiariesOf = new Map<string, string[]>();
	for (const [partnershipId, organisationId, role] of deliveries) {
		if (role === 'beneficiary') pushTo(beneficiariesOf, partnershipId, organisationId);
	}
	for (const [partnershipId, organisationId, role] of deliveries) {
		if (role === 'beneficiary') continue;
		const tags = partnershipTags.get(partnershipId) ?? {};
		const record = recordOf(organisationId);
		record.partnerships.push(tags.sdg_target ?? []);
		for (const theme of tags.theme ?? []) record.themes.add(theme);
		for (const beneficiary of beneficiariesOf.get(partnershipId) ?? []) {
			const place = organisations.get(beneficiary)?.place;
			if (place) addPlace(record, place);
		}
	}

	const documents: string[][] = [];
	const caseStudies: Omit<CaseStudyEntry, 'profile' | 'visited'>[] = [];
	const caseProfiles: Omit<CaseStudyProfile, 'text'>[] = [];
	for (const [
		id,
		slug,
		title,
		summary,
		organisationId,
		status,
		validations,
		cityName,
		countryCode,
		regionCode,
		subregionCode,
		incomeGroup,
		isLdc,
		countryName
	] of caseRows) {
		const organisation = organisations.get(organisationId);
		if (!organisation) continue;
		const tags = caseTags.get(id) ?? {};
		const place: Place = {
			countryCode,
			countryName,
			regionCode,
			subregionCode,
			incomeGroup,
			isLdc: isLdc === 1
		};
		const record = recordOf(organisationId);
		record.caseStudies.push(tags.sdg_target ?? []);
		for (const theme of tags.theme ?? []) record.themes.add(theme);
		addPlace(record, place);
		caseStudies.push({ slug, title, summary, status, cityName, organisation });
		caseProfiles.push({
			id,
			organisationId,
			themes: tags.theme ?? [],
			sdgTargets: tags.sdg_target ?? [],
			place,
			validations
		});
		documents.push(termsFor(`case:${id}`, `${title} ${title} ${summary}`));
	}

	const trackRecordOf = (organisationId: string): TrackRecord => {
		const record = records.get(organisationId);
		return record
			? { caseStudies: record.caseStudies, partnerships: record.partnerships }
			: {
					caseStudies: [],
					partnerships: []
				};
	};

	const capacityUsed = new Map(
		all<[string, number]>(
			`SELECT offer_id, count(*) FROM partnership
			  WHERE offer_id IS NOT NULL AND status <> 'discontinued' GROUP BY offer_id`
		)
	);

	const needTags = groupTags(
		all(`SELECT need_id, vocabulary, value FROM need_tag ORDER BY need_id, vocabulary, position`)
	);
	const needRows = all<
		[string, string, string, string, string, string, NeedStatus, number, number, ListingVisibility]
	>(
		`SELECT id, organisation_id, title, challenge, tried_so_far, languages, status, expires_at,
		        created_at, visibility
		   FROM need ORDER BY created_at DESC, id`
	);
	const offerTags = groupTags(
		all(`SELECT offer_id, vocabulary, value FROM offer_tag ORDER BY offer_id, vocabulary, position`)
	);
	const offerRows = all<
		[
			string,
			string,
			string,
			string,
			string,
			string,
			number,
			number | null,
			string,
			number,
			number | null,
			ListingVisibility,
			OfferStatus,
			number
		]
	>(
		`SELECT id, organisation_id, title, description, format, languages, is_global, capacity,
		        eligible_income_groups, only_least_developed, deadline, visibility, status, created_at
		   FROM offer ORDER BY created_at DESC, id`
	);

	for (const row of needRows) {
		documents.push(termsFor(`need:${row[0]}`, `${row[2]} ${row[2]} ${row[3]} ${row[4]}`));
	}
	for (const row of offerRows) {
		documents.push(termsFor(`offer:${row[0]}`, `${row[2]} ${row[2]} ${row[3]}`));
	}
	const { vectors, words } = buildVectors(documents);
	let vector = 0;

	const data: MatchingData = {
		needs: new Map(),
		offers: new Map(),
		openOffersByCooperation: new Map(),
		activeNeedsByCooperation: new Map(),
		activeNeedsByTarget: new Map(),
		caseStudiesByTarget: new Map(),
		partnersByTarget: new Map(),
		needsByOrganisation: new Map(),
		offersByOrganisation: new Map(),
		words
	};

	caseStudies.forEach((caseStudy, index) => {
		const entry = {
			...caseStudy,
			visited: 0,
			profile: { ...caseProfiles[index], text: vectors[vector++] }
		};
		for (const target of entry.profile.sdgTargets) pushTo(data.caseStudiesByTarget, target, entry);
	});

	for (const [organisationId, record] of records) {
		const organisation = organisations.get(organisationId);
		if (!organisation) continue;
		const entry: PartnerEntry = {
			visited: 0,
			organisation,
			profile: {
				organisationId,
				themes: [...record.themes],
				countries: [...record.countries],
				regions: [...record.regions],
				languages: organisation.languages,
				trackRecord: { caseStudies: record.caseStudies, partnerships: record.partnerships }
			}
		};
		const targets = new Set([...record.caseStudies.flat(), ...record.partnerships.flat()]);
		for (const target of targets) pushTo(data.partnersByTarget, target, entry);
	}

	for (const [
		id,
		organisationId,
		title,
		,
		,
		languages,
		status,
		expiresAt,
		createdAt,
		visibility
	] of needRows) {
		const text = vectors[vector++];
		const organisation = organisations.get(organisationId);
		if (!organisation) continue;
		const tags = needTags.get(id) ?? {};
		const own = parseList(languages);
		const entry: NeedEntry = {
			visited: 0,
			organisationId,
			title,
			visibility,
			organisation,
			profile: {
				id,
				organisationId,
				status,
				expiresAt,
				createdAt,
				themes: tags.theme ?? [],
				sdgTargets: tags.sdg_target ?? [],
				cooperationTypes: tags.cooperation ?? [],
				languages: own.length ? own : organisation.languages,
				place: organisation.place,
				text
			}
		};
		data.needs.set(id, entry);
		pushTo(data.needsByOrganisation, organisationId, entry);
		if (status === 'open' || status === 'in_discussion') {
			for (const type of entry.profile.cooperationTypes) {
				pushTo(data.activeNeedsByCooperation, type, entry);
			}
			for (const target of entry.profile.sdgTargets)
				pushTo(data.activeNeedsByTarget, target, entry);
		}
	}

	for (const [
		id,
		organisationId,
		title,
		,
		format,
		languages,
		isGlobal,
		capacity,
		eligibleIncomeGroups,
		onlyLeastDeveloped,
		deadline,
		visibility,
		status,
		createdAt
	] of offerRows) {
		const text = vectors[vector++];
		const organisation = organisations.get(organisationId);
		if (!organisation) continue;
		const tags = offerTags.get(id) ?? {};
		const own = parseList(languages);
		const entry: OfferEntry = {
			visited: 0,
			organisationId,
			title,
			format,
			visibility,
			organisation,
			profile: {
				id,
				organisationId,
				status,
				deadline,
				createdAt,
				themes: tags.theme ?? [],
				sdgTargets: tags.sdg_target ?? [],
				cooperationTypes: tags.cooperation ?? [],
				languages: own.length ? own : organisation.languages,
				isGlobal: isGlobal === 1,
				regions: tags.region ?? [],
				countries: tags.country ?? [],
				capacity,
				capacityUsed: capacityUsed.get(id) ?? 0,
				eligibleIncomeGroups: parseList(eligibleIncomeGroups),
				onlyLeastDeveloped: onlyLeastDeveloped === 1,
				text,
				trackRecord: trackRecordOf(organisationId)
			}
		};
		data.offers.set(id, entry);
		pushTo(data.offersByOrganisation, organisationId, entry);
		if (status === 'open') {
			for (const type of entry.profile.cooperationTypes) {
				pushTo(data.openOffersByCooperation, type, entry);
			}
		}
	}
	return data;
}

/**
 * What the copy is read from, and the writes that change it (db/watched-copy.ts). Columns matching
 * does not read (a partnership's last activity, an organisation's description, drafts of case
 * studies) and every other table (sessions, rate limits, notifications, the email outbox) leave
 * the copy alone.
 */
const watchedTables: WatchedTable[] = [
	{ table: 'need' },
	{ table: 'need_tag' },
	{ table: 'offer' },
	{ table: 'offer_tag' },
	{ table: 'partnership', columns: 'status, offer_id' },
	{
		table: 'partnership_party',
		columns: 'partnership_id, organisation_id, role, consents_to_publish, position'
	},
	{ table: 'partnership_tag' },
	{
		table: 'case_study',
		columns:
			'slug, title, summary, organisation_id, status, validation_count, city_id, country_code, workflow_state',
		rows: (row) => `${row}.workflow_state = 'published'`
	},
	{
		table: 'case_study_tag',
		rows: (row) =>
			`EXISTS (SELECT 1 FROM main.case_study cs WHERE cs.id = ${row}.case_study_id AND cs.workflow_state = 'published')`
	},
	{
		table: 'organisation',
		columns: 'slug, name, kind, languages, verification_state, country_code, city_id'
	},
	{ table: 'country', ignoreInserts: true },
	{ table: 'city', columns: 'name', ignoreInserts: true }
];

const copy = watchedCopy('matching', watchedTables, loadMatchingData);

/** How many times profiles were read in full, all connections together (tests, bench). */
export const fullReadCount = (): number => copy.fullReads();

/**
 * The profiles as of now for this connection: the copy in memory unless this connection has
 * written to a table (and column) matching reads, or another connection has committed anything
 * (PRAGMA data_version: SQLite does not say what; the running server uses one connection, so this
 * is the rare case of a script writing beside it).
 */
export function matchingData(db: Db): MatchingData {
	return copy.get(db);
}

/**
 * Forgets this connection's copy, as a write does (the bench's runs after a write); with
 * `texts`, the terms of the texts too (a cold start).
 */
export function forgetMatchingData(db: Db, options: { texts?: boolean } = {}): void {
	copy.forget(db);
	if (options.texts) termCaches.delete(db.$client);
}
