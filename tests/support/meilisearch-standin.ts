/**
 * A local stand-in for an EXTERNAL Meilisearch server (none can be installed here): answers the few
 * routes the engine's writes use (add documents, delete a batch, delete all, task status, health)
 * with the shapes the official client expects, records what it received, and can refuse requests
 * (503 or a reset connection) to exercise the outbox's retries. It is not a fake of the app.
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
	const tasks = new Map<number, { indexUid: string | null; type: string }>();
	const received: ReceivedRequest[] = [];

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
		const entry = {
			method: request.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			body
		};
		received.push(entry);
		const json = (status: number, value: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(value));
		};
		const enqueue = (indexUid: string, type: string) => {
			standin.onWrite?.(entry);
			const taskUid = nextTaskUid++;
			tasks.set(taskUid, { indexUid, type });
			json(202, {
				taskUid,
				indexUid,
				status: 'enqueued',
				type,
				enqueuedAt: new Date().toISOString()
			});
		};
		const documents = url.pathname.match(/^\/indexes\/([^/]+)\/documents(\/delete-batch)?$/);
		const task = url.pathname.match(/^\/tasks\/(\d+)$/);
		if (url.pathname === '/health' && request.method === 'GET') {
			json(200, { status: 'available' });
		} else if (documents && request.method === 'POST' && !documents[2]) {
			enqueue(documents[1], 'documentAdditionOrUpdate');
		} else if (documents && request.method === 'POST' && documents[2]) {
			enqueue(documents[1], 'documentDeletion');
		} else if (documents && request.method === 'DELETE' && !documents[2]) {
			enqueue(documents[1], 'documentDeletion');
		} else if (task && request.method === 'GET' && tasks.has(Number(task[1]))) {
			const { indexUid, type } = tasks.get(Number(task[1]))!;
			const now = new Date().toISOString();
			json(200, {
				uid: Number(task[1]),
				batchUid: Number(task[1]),
				indexUid,
				status: 'succeeded',
				type,
				canceledBy: null,
				details: {},
				error: null,
				duration: 'PT0.001S',
				enqueuedAt: now,
				startedAt: now,
				finishedAt: now
			});
		} else {
			json(404, {
				message: `The stand-in does not answer ${request.method} ${url.pathname}`,
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
		close: () =>
			new Promise<void>((done) => {
				server.closeAllConnections();
				server.close(() => done());
			})
	};
	return standin;
}
