/**
 * A local stand-in for an EXTERNAL Meilisearch server (none can be installed here): answers the few
 * routes the engine's writes use (create an index, read and patch settings, stats, add documents,
 * delete a batch, delete all, task status, health) with the shapes the official client expects,
 * keeps the documents per index, records what it received, and can refuse requests (503 or a
 * reset connection) to exercise the outbox's retries. Searching is not implemented: the
 * conformance suite runs the engine against a real Meilisearch when MEILISEARCH_HOST is set.
 * It is not a fake of the app.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';

export type ReceivedRequest = {
	method: string;
	path: string;
	query: URLSearchParams;
	body: unknown;
};

export type Refusal = 'unavailable' | 'reset';

export type MeilisearchStandin = {
	url: string;
	/** Every request answered normally (refused ones are not recorded). */
	received: ReceivedRequest[];
	/** Ids of documents added, in order, over all requests. */
	addedIds(): string[];
	/** Ids deleted through delete-batch, in order. */
	deletedIds(): string[];
	/** Refuse the next `count` requests, then answer again. */
	refuse(count: number, how?: Refusal): void;
	/** Called for each accepted write before it is answered (e.g. to write in between). */
	onWrite: ((request: ReceivedRequest) => void) | null;
	/**
	 * How POST /multi-search answers: the test gives Meilisearch's answer, since the stand-in
	 * does not search (the engine's request is in `received`).
	 */
	answerMultiSearch: ((body: { queries: Record<string, unknown>[] }) => unknown) | null;
	/** Document ids whose addition fails the whole task, as Meilisearch does for a bad document. */
	refusedDocuments: Set<string>;
	/** The documents an index holds, by id (undefined when the index does not exist). */
	documents(indexUid: string): Map<string, Record<string, unknown>> | undefined;
	/** An index's settings as the stand-in holds them. */
	settings(indexUid: string): Record<string, unknown> | undefined;
	close(): Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<unknown> {
	let text = '';
	for await (const chunk of request) text += chunk;
	return text === '' ? null : JSON.parse(text);
}

/** A port nothing listens on: bound, then released. */
export function closedPort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createNetServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => done(port));
		});
	});
}

export async function startMeilisearchStandin(): Promise<MeilisearchStandin> {
	let refusals = 0;
	let refusal: Refusal = 'unavailable';
	let nextTaskUid = 1;
	type TaskState = { indexUid: string | null; type: string; error: { code: string } | null };
	const tasks = new Map<number, TaskState>();
	const received: ReceivedRequest[] = [];
	// Meilisearch's defaults for a new index.
	const freshSettings = () => ({
		searchableAttributes: ['*'],
		filterableAttributes: [],
		sortableAttributes: [],
		rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
		stopWords: [],
		typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
		faceting: { maxValuesPerFacet: 100 },
		pagination: { maxTotalHits: 1000 }
	});
	const indexes = new Map<
		string,
		{ settings: Record<string, unknown>; documents: Map<string, Record<string, unknown>> }
	>();
	const ensureIndex = (uid: string) => {
		if (!indexes.has(uid)) indexes.set(uid, { settings: freshSettings(), documents: new Map() });
		return indexes.get(uid)!;
	};
	const notFound = (uid: string) => ({
		message: `Index \`${uid}\` not found.`,
		code: 'index_not_found',
		type: 'invalid_request',
		link: ''
	});

	const server: Server = createServer(async (request, response) => {
		const url = new URL(request.url ?? '/', 'http://standin');
		const body = await readBody(request);
		if (refusals > 0) {
			refusals -= 1;
			if (refusal === 'reset') {
				request.socket.destroy();
				return;
			}
			response.writeHead(503, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					message: 'Meilisearch is starting',
					code: 'internal',
					type: 'internal',
					link: ''
				})
			);
			return;
		}
		const method = request.method ?? 'GET';
		const entry = { method, path: url.pathname, query: url.searchParams, body };
		received.push(entry);
		const json = (status: number, value: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(value));
		};
		/** Runs the write at once (tasks finish immediately) and answers like Meilisearch: 202. */
		const enqueue = (indexUid: string | null, type: string, run: () => { code: string } | null) => {
			standin.onWrite?.(entry);
			const taskUid = nextTaskUid++;
			tasks.set(taskUid, { indexUid, type, error: run() });
			json(202, {
				taskUid,
				indexUid,
				status: 'enqueued',
				type,
				enqueuedAt: new Date().toISOString()
			});
		};
		const route = url.pathname.match(/^\/indexes\/([^/]+)(\/.*)?$/);
		const uid = route?.[1] ?? '';
		const rest = route?.[2] ?? '';
		const task = url.pathname.match(/^\/tasks\/(\d+)$/);
		if (url.pathname === '/health' && method === 'GET') {
			json(200, { status: 'available' });
		} else if (url.pathname === '/multi-search' && method === 'POST' && standin.answerMultiSearch) {
			json(200, standin.answerMultiSearch(body as { queries: Record<string, unknown>[] }));
		} else if (url.pathname === '/indexes' && method === 'POST') {
			const { uid: created } = body as { uid: string };
			enqueue(created, 'indexCreation', () => {
				if (indexes.has(created)) return { code: 'index_already_exists' };
				ensureIndex(created);
				return null;
			});
		} else if (route && rest === '/settings' && method === 'GET') {
			const index = indexes.get(uid);
			if (index) json(200, index.settings);
			else json(404, notFound(uid));
		} else if (route && rest === '/settings' && method === 'PATCH') {
			enqueue(uid, 'settingsUpdate', () => {
				Object.assign(ensureIndex(uid).settings, body as object);
				return null;
			});
		} else if (route && rest === '/stats' && method === 'GET') {
			const index = indexes.get(uid);
			if (index) json(200, { numberOfDocuments: index.documents.size, isIndexing: false });
			else json(404, notFound(uid));
		} else if (route && rest === '/documents' && method === 'POST') {
			enqueue(uid, 'documentAdditionOrUpdate', () => {
				const { documents } = ensureIndex(uid);
				const batch = body as Record<string, unknown>[];
				if (batch.some((document) => standin.refusedDocuments.has(String(document.id)))) {
					return { code: 'invalid_document_fields' };
				}
				for (const document of batch) {
					documents.set(String(document.id), document);
				}
				return null;
			});
		} else if (route && rest === '/documents/delete-batch' && method === 'POST') {
			enqueue(uid, 'documentDeletion', () => {
				const index = indexes.get(uid);
				if (!index) return { code: 'index_not_found' };
				for (const id of body as string[]) index.documents.delete(id);
				return null;
			});
		} else if (route && rest === '/documents' && method === 'DELETE') {
			enqueue(uid, 'documentDeletion', () => {
				const index = indexes.get(uid);
				if (!index) return { code: 'index_not_found' };
				index.documents.clear();
				return null;
			});
		} else if (task && method === 'GET' && tasks.has(Number(task[1]))) {
			const { indexUid, type, error } = tasks.get(Number(task[1]))!;
			const now = new Date().toISOString();
			json(200, {
				uid: Number(task[1]),
				batchUid: Number(task[1]),
				indexUid,
				status: error ? 'failed' : 'succeeded',
				type,
				canceledBy: null,
				details: {},
				error: error
					? {
							...error,
							message: `The stand-in failed: ${error.code}`,
							type: 'invalid_request',
							link: ''
						}
					: null,
				duration: 'PT0.001S',
				enqueuedAt: now,
				startedAt: now,
				finishedAt: now
			});
		} else {
			json(404, {
				message: `The stand-in does not answer ${method} ${url.pathname}`,
				code: 'not_found',
				type: 'invalid_request',
				link: ''
			});
		}
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	const standin: MeilisearchStandin = {
		url: `http://127.0.0.1:${port}`,
		received,
		addedIds: () =>
			received
				.filter((r) => r.method === 'POST' && r.path.endsWith('/documents'))
				.flatMap((r) => (r.body as { id: string }[]).map((document) => document.id)),
		deletedIds: () =>
			received
				.filter((r) => r.path.endsWith('/documents/delete-batch'))
				.flatMap((r) => r.body as string[]),
		refuse(count, how = 'unavailable') {
			refusals = count;
			refusal = how;
		},
		onWrite: null,
		answerMultiSearch: null,
		refusedDocuments: new Set(),
		documents: (indexUid) => indexes.get(indexUid)?.documents,
		settings: (indexUid) => indexes.get(indexUid)?.settings,
		close: () =>
			new Promise<void>((done) => {
				server.closeAllConnections();
				server.close(() => done());
			})
	};
	return standin;
}
