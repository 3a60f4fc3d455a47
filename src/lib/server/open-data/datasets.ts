/**
 * The bulk datasets: every public record of a kind, in the API's item shape plus a `licence`,
 * read in batches so a download of 100,000 records never holds them all at once.
 */
import { count, eq, inArray, max, sum } from 'drizzle-orm';
import { csvCell, type CsvCell } from '$lib/server/api/lists';
import * as caseStudies from '$lib/server/case-studies';
import * as caseApi from '$lib/server/case-studies/api';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as listings from '$lib/server/needs-offers';
import * as listingsApi from '$lib/server/needs-offers/api';
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
 * Every public need or offer, whatever its status (open, in discussion, matched, closed,
 * expired): the full record of what was asked and offered. Restricted listings are never read.
 */
function listingBatches<Item extends { id: string }, ApiRecord extends object>(
	read: (db: Db, options: { afterId: string; limit: number; now: Date }) => Item[],
	toApi: (item: Item, origin: string) => ApiRecord
) {
	return function* (db: Db, origin: string, now: Date) {
		let afterId = '';
		for (;;) {
			const items = read(db, { afterId, limit: BATCH_SIZE, now });
			if (items.length === 0) return;
			yield items.map((item) => withLicence(toApi(item, origin)));
			afterId = items.at(-1)!.id;
		}
	};
}

function* partnershipBatches(db: Db, origin: string, now: Date) {
	let cursor: string | null = null;
	do {
		const page = partnerships.listPublicPartnerships(db, {}, { cursor, limit: BATCH_SIZE, now });
		yield page.data.map((record) => withLicence(partnershipApi.partnershipToApi(record, origin)));
		cursor = page.next;
	} while (cursor);
}

/** The list endpoint's columns with the country's and region's names, which the bulk file adds. */
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
	'cityName'
] as const;

/**
 * A dataset of records in an API item shape, each with its licence: their batches, and as CSV the
 * item's row with the licence as the last column.
 */
function dataset<ApiRecord extends object>(
	columns: readonly string[],
	csvRow: (record: ApiRecord) => Record<string, CsvCell>,
	batches: (db: Db, origin: string, now: Date) => Generator<(ApiRecord & { licence: string })[]>
): Dataset {
	return {
		csvColumns: [...columns, 'licence'],
		// Only the records `batches` yields come back here, so they are ApiRecords.
		csvRow: (record) => ({ ...csvRow(record as unknown as ApiRecord), licence: record.licence }),
		batches
	};
}

/** How each dataset is read and written as CSV (the list endpoints' columns, plus the licence). */
const datasets: Record<DatasetName, Dataset> = {
	'case-studies': dataset(caseApi.csvColumns, caseApi.csvRow, caseStudyBatches),
	organisations: dataset(organisationCsvColumns, organisationApi.csvRow, organisationBatches),
	needs: dataset(
		listingsApi.needCsvColumns,
		listingsApi.needCsvRow,
		listingBatches(listings.publicNeeds, listingsApi.needToApi)
	),
	offers: dataset(
		listingsApi.offerCsvColumns,
		listingsApi.offerCsvRow,
		listingBatches(listings.publicOffers, listingsApi.offerToApi)
	),
	partnerships: dataset(partnershipApi.csvColumns, partnershipApi.csvRow, partnershipBatches)
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
	const publicListingsRow = (listing: typeof table.need | typeof table.offer) =>
		db
			.select({ n: count(), updated: max(listing.updatedAt) })
			.from(listing)
			.where(eq(listing.visibility, 'public'))
			.get();
	const needRow = publicListingsRow(table.need);
	const offerRow = publicListingsRow(table.offer);
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
