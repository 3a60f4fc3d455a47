import { openDatabase, type Db } from '$lib/server/db';
import * as searchSync from '$lib/server/search/sync';
import type { SearchDocument } from '$lib/server/search/types';

/**
 * A need's search document, written straight into the mirror: needs and offers (issue 5) may be
 * restricted to verified organisations, and have no pages or writes of their own yet.
 */
export function needDocument(
	id: string,
	title: string,
	visibility: SearchDocument['visibility']
): SearchDocument {
	return {
		ref: `need:${id}`,
		type: 'need',
		recordId: id,
		title,
		summary: 'A city looks for help with its drainage.',
		keywords: '',
		body: '',
		path: `/needs/${id}`,
		language: 'en',
		visibility,
		facets: { theme: ['G'], country: ['KE'] },
		meta: { country: 'KE', city: null, organisation: 'Test city' },
		sortDate: new Date()
	};
}

/** Runs on the HTTP test server's own database file, then closes it. */
export function withServerDb(dbPath: string, run: (db: Db) => void): void {
	const db = openDatabase(dbPath);
	try {
		run(db);
	} finally {
		db.$client.close();
	}
}

/** Puts the documents into the server's mirror; returns a function that takes them out again. */
export function putServerDocuments(dbPath: string, documents: SearchDocument[]): () => void {
	withServerDb(dbPath, (db) => searchSync.putDocuments(db, documents));
	return () =>
		withServerDb(dbPath, (db) =>
			searchSync.deleteDocuments(
				db,
				documents.map((document) => document.ref)
			)
		);
}
