/**
 * The bulk datasets: every public record of a kind, in the API's item shape plus a `licence`,
 * read in batches so a download of 100,000 records never holds them all at once.
 */
import { and, asc, count, eq, gt, inArray, max, sum } from 'drizzle-orm';
import { csvCell, type CsvCell } from '$lib/server/api/lists';
import * as caseStudies from '$lib/server/case-studies';
import * as caseApi from '$lib/server/case-studies/api';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as listingsApi from '$lib/server/needs-offers/api';
import { needState, offerState } from '$lib/server/needs-offers';
import {
	needTagsOf,
	offerTagsOf,
	organisationColumns,
	organisationOf
} from '$lib/server/needs-offers/rows';
import * as organisations from '$lib/server/organisations';
import * as organisationApi from '$lib/server/organisations-api';
import * as partnerships from '$lib/server/partnerships';
import * as partnershipApi from '$lib/server/partnerships/api';
import { publicOnly } from '$lib/server/partnerships/list';
import { LICENCE } from './licence';

export const datasetNames = [
	'case-studies',
	'organisations',
	'needs',
	'offers',
	'partnerships'
] as const;
export type DatasetName = (typeof datasetNames)[number];
export const bulkFormats = ['jsonl', 'csv'] as const;
export type BulkFormat = (typeof bulkFormats)[number];

export const isDatasetName = (value: string): value is DatasetName =>
	(datasetNames as readonly string[]).includes(value);

/** Records read per database round: small enough to stream, large enough to be quick. */
export const BATCH_SIZE = 100;

type BulkRecord = Record<string, unknown> & { licence: string };
type Dataset = {
	csvColumns: readonly string[];
	csvRow: (record: BulkRecord) => Record<string, CsvCell>;
	batches: (db: Db, origin: string, now: Date) => Generator<BulkRecord[]>;
};

const withLicence = <T extends object>(record: T) => ({ ...record, licence: LICENCE.id });

function* caseStudyBatches(db: Db, origin: string, now: Date) {
	let cursor: string | null = null;
	do {
		const page = caseStudies.listPublished(db, {}, { cursor, limit: BATCH_SIZE, now });
		const ids = page.items.map((item) => item.id);
		const extras = caseApi.apiExtras(db, ids);
		// Each case study carries its own licence (CC BY, CC BY-SA or CC0), chosen by its authors.
		const licences = new Map(
			db
				.select({ id: table.caseStudy.id, licence: table.caseStudy.licence })
				.from(table.caseStudy)
				.where(inArray(table.caseStudy.id, ids))
				.all()
				.map((row) => [row.id, row.licence])
		);
		yield page.items.map((item) => ({
			...caseApi.listItemToApi(item, extras.get(item.id)!, origin),
			licence: licences.get(item.id) ?? LICENCE.id
		}));
		cursor = page.nextCursor;
	} while (cursor);
}

const everyOrganisation: organisations.ListFilters = {
	kind: [],
	region: [],
	country: [],
	income: [],
	verified: false,
	q: ''
};

function* organisationBatches(db: Db, origin: string) {
	let after: { name: string; slug: string } | null = null;
	do {
		const slice = organisations.listSlice(db, everyOrganisation, { limit: BATCH_SIZE, after });
		yield slice.rows.map((row) => withLicence(organisationApi.organisationToApi(row, origin)));
		after = slice.next ? organisations.decodeCursor(slice.next) : null;
	} while (after);
}

/**
 * Every public need, whatever its status (open, in discussion, matched, closed, expired): the
 * full record of what was asked. Restricted needs are never read.
 */
function* needBatches(db: Db, origin: string, now: Date) {
	let lastId = '';
	for (;;) {
		const rows = db
			.select({
				id: table.need.id,
				title: table.need.title,
				challenge: table.need.challenge,
				languages: table.need.languages,
				timeframe: table.need.timeframe,
				budgetAmount: table.need.budgetAmount,
				budgetCurrency: table.need.budgetCurrency,
				visibility: table.need.visibility,
				status: table.need.status,
				expiresAt: table.need.expiresAt,
				createdAt: table.need.createdAt,
				updatedAt: table.need.updatedAt,
				organisation: organisationColumns
			})
			.from(table.need)
			.innerJoin(table.organisation, eq(table.organisation.id, table.need.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
			.where(and(eq(table.need.visibility, 'public'), gt(table.need.id, lastId)))
			.orderBy(asc(table.need.id))
			.limit(BATCH_SIZE)
			.all();
		if (rows.length === 0) return;
		const tags = needTagsOf(
			db,
			rows.map((row) => row.id)
		);
		yield rows.map((row) =>
			withLicence(
				listingsApi.needToApi(
					{
						...row,
						...tags.get(row.id)!,
						organisation: organisationOf(row.organisation),
						...needState(row, now)
					},
					origin
				)
			)
		);
		lastId = rows.at(-1)!.id;
	}
}

/** Every public offer, open, closed or past its deadline; restricted offers are never read. */
function* offerBatches(db: Db, origin: string, now: Date) {
	let lastId = '';
	for (;;) {
		const rows = db
			.select({
				id: table.offer.id,
				title: table.offer.title,
				description: table.offer.description,
				format: table.offer.format,
				languages: table.offer.languages,
				isGlobal: table.offer.isGlobal,
				capacity: table.offer.capacity,
				eligibleIncomeGroups: table.offer.eligibleIncomeGroups,
				onlyLeastDeveloped: table.offer.onlyLeastDeveloped,
				deadline: table.offer.deadline,
				visibility: table.offer.visibility,
				status: table.offer.status,
				createdAt: table.offer.createdAt,
				updatedAt: table.offer.updatedAt,
				organisation: organisationColumns
			})
			.from(table.offer)
			.innerJoin(table.organisation, eq(table.organisation.id, table.offer.organisationId))
			.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
			.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
			.where(and(eq(table.offer.visibility, 'public'), gt(table.offer.id, lastId)))
			.orderBy(asc(table.offer.id))
			.limit(BATCH_SIZE)
			.all();
		if (rows.length === 0) return;
		const tags = offerTagsOf(
			db,
			rows.map((row) => row.id)
		);
		yield rows.map((row) =>
			withLicence(
				listingsApi.offerToApi(
					{
						...row,
						...tags.get(row.id)!,
						organisation: organisationOf(row.organisation),
						...offerState(row, now)
					},
					origin
				)
			)
		);
		lastId = rows.at(-1)!.id;
	}
}

function* partnershipBatches(db: Db, origin: string, now: Date) {
	let cursor: string | null = null;
	do {
		const page = partnerships.listPublicPartnerships(db, {}, { cursor, limit: BATCH_SIZE, now });
		yield page.data.map((record) => withLicence(partnershipApi.partnershipToApi(record, origin)));
		cursor = page.next;
	} while (cursor);
}

const organisationCsvColumns = [
	'slug',
	'name',
	'kind',
	'country',
	'countryName',
	'region',
	'regionName',
	'incomeGroup',
	'verified',
	'url',
	'cityId',
	'cityName',
	'licence'
] as const;

/** How each dataset is read and written as CSV (the list endpoints' columns, plus the licence). */
const datasets: Record<DatasetName, Dataset> = {
	'case-studies': {
		csvColumns: [...caseApi.csvColumns, 'licence'],
		csvRow: (record) => ({
			...caseApi.csvRow(record as unknown as caseApi.ApiCaseStudy),
			licence: record.licence
		}),
		batches: caseStudyBatches
	},
	organisations: {
		csvColumns: organisationCsvColumns,
		csvRow: (record) => ({
			...organisationApi.csvRow(record as unknown as organisationApi.ApiOrganisation),
			licence: record.licence
		}),
		batches: organisationBatches
	},
	needs: {
		csvColumns: [...listingsApi.needCsvColumns, 'licence'],
		csvRow: (record) => ({
			...listingsApi.needCsvRow(record as unknown as listingsApi.ApiNeed),
			licence: record.licence
		}),
		batches: needBatches
	},
	offers: {
		csvColumns: [...listingsApi.offerCsvColumns, 'licence'],
		csvRow: (record) => ({
			...listingsApi.offerCsvRow(record as unknown as listingsApi.ApiOffer),
			licence: record.licence
		}),
		batches: offerBatches
	},
	partnerships: {
		csvColumns: [...partnershipApi.csvColumns, 'licence'],
		csvRow: (record) => ({
			...partnershipApi.csvRow(record as unknown as partnershipApi.ApiPartnership),
			licence: record.licence
		}),
		batches: partnershipBatches
	}
};

/** The file's text, one batch at a time: JSON Lines, or CSV rows after `csvHeader`. */
export function* fileChunks(
	db: Db,
	name: DatasetName,
	format: BulkFormat,
	origin: string,
	now = new Date()
): Generator<string> {
	const dataset = datasets[name];
	for (const batch of dataset.batches(db, origin, now)) {
		if (batch.length === 0) continue;
		if (format === 'jsonl') {
			yield batch.map((record) => JSON.stringify(record) + '\n').join('');
		} else {
			yield batch
				.map(dataset.csvRow)
				.map((row) => dataset.csvColumns.map((column) => csvCell(row[column])).join(',') + '\r\n')
				.join('');
		}
	}
}

export const csvHeader = (name: DatasetName) => datasets[name].csvColumns.join(',') + '\r\n';

/** Every record of a dataset at once, for tests and small callers. */
export function allRecords(db: Db, name: DatasetName, origin: string, now = new Date()) {
	return [...datasets[name].batches(db, origin, now)].flat();
}

export type DatasetSummary = {
	name: DatasetName;
	records: number;
	/** The newest change among its records (or the organisations they name); null when empty. */
	updatedAt: Date | null;
	/** Changes whenever the file's content may have: a weak ETag. */
	version: string;
};

const newest = (...values: (number | Date | null | undefined)[]) => {
	const times = values
		.map((value) => (value instanceof Date ? value.getTime() : (value ?? null)))
		.filter((value): value is number => value !== null && Number.isFinite(value));
	return times.length ? Math.max(...times) : null;
};

/**
 * How many records each dataset holds and when it last changed, from a few aggregate queries.
 * The version also moves with the organisations (their names are in other records), the case
 * studies' validation counts, and the UTC day (needs and offers expire, partnerships go stale).
 */
export function summaries(db: Db, now = new Date()): DatasetSummary[] {
	const organisationRow = db
		.select({ n: count(), updated: max(table.organisation.updatedAt) })
		.from(table.organisation)
		.get();
	const organisationsUpdated = newest(organisationRow?.updated);
	const caseRow = db
		.select({
			n: count(),
			updated: max(table.caseStudy.updatedAt),
			validations: sum(table.caseStudy.validationCount)
		})
		.from(table.caseStudy)
		.where(eq(table.caseStudy.workflowState, 'published'))
		.get();
	const needRow = db
		.select({ n: count(), updated: max(table.need.updatedAt) })
		.from(table.need)
		.where(eq(table.need.visibility, 'public'))
		.get();
	const offerRow = db
		.select({ n: count(), updated: max(table.offer.updatedAt) })
		.from(table.offer)
		.where(eq(table.offer.visibility, 'public'))
		.get();
	const partnershipRow = db
		.select({
			n: count(),
			updated: max(table.partnership.updatedAt),
			activity: max(table.partnership.lastActivityAt)
		})
		.from(table.partnership)
		.where(publicOnly)
		.get();
	const day = now.toISOString().slice(0, 10);
	const summary = (
		name: DatasetName,
		records: number,
		updated: number | null,
		extra: (string | number | null)[] = []
	): DatasetSummary => ({
		name,
		records,
		updatedAt: updated === null ? null : new Date(updated),
		version: [name, records, updated, organisationsUpdated, ...extra, day].join('-')
	});
	return [
		summary('case-studies', caseRow?.n ?? 0, newest(caseRow?.updated), [caseRow?.validations ?? 0]),
		summary('organisations', organisationRow?.n ?? 0, organisationsUpdated),
		summary('needs', needRow?.n ?? 0, newest(needRow?.updated)),
		summary('offers', offerRow?.n ?? 0, newest(offerRow?.updated)),
		summary(
			'partnerships',
			partnershipRow?.n ?? 0,
			newest(partnershipRow?.updated, partnershipRow?.activity)
		)
	];
}
