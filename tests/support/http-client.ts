import Database from 'better-sqlite3';
import { randomId } from '../../src/lib/server/ids';

let addressCounter = 0;

/**
 * A minimal cookie-keeping HTTP client for the HTTP suite: it sends forms the way a browser
 * without JavaScript does (urlencoded, with Origin) and never follows redirects, so tests see them.
 */
export class HttpClient {
	readonly cookies = new Map<string, string>();
	/** A distinct client address, sent as X-Forwarded-For. */
	readonly address: string;

	constructor(readonly baseUrl: string) {
		addressCounter += 1;
		this.address = `10.${(addressCounter >> 8) & 255}.${addressCounter & 255}.${(process.pid % 250) + 1}`;
	}

	cookieHeader(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	private remember(response: Response) {
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attributes] = line.split(';');
			const index = pair.indexOf('=');
			const name = pair.slice(0, index).trim();
			const value = pair.slice(index + 1).trim();
			const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	async request(path: string, init: RequestInit = {}): Promise<Response> {
		const headers = new Headers(init.headers);
		// As a browser does; with fetch's default */* SvelteKit answers form actions in JSON.
		if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml');
		if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
		if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', this.address);
		const response = await fetch(new URL(path, this.baseUrl), {
			...init,
			headers,
			redirect: 'manual'
		});
		this.remember(response);
		return response;
	}

	get(path: string, headers: Record<string, string> = {}): Promise<Response> {
		return this.request(path, { headers });
	}

	/** Posts a form as a browser without JavaScript would; `origin: null` leaves the header out. */
	postForm(
		path: string,
		fields: Record<string, string | string[]> | URLSearchParams | FormData,
		options: { origin?: string | null; headers?: Record<string, string> } = {}
	): Promise<Response> {
		let body: URLSearchParams | FormData;
		if (fields instanceof URLSearchParams || fields instanceof FormData) {
			body = fields;
		} else {
			body = new URLSearchParams();
			for (const [key, value] of Object.entries(fields)) {
				for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
			}
		}
		const headers: Record<string, string> = { ...options.headers };
		const origin = options.origin === undefined ? this.baseUrl : options.origin;
		if (origin !== null) headers.origin = origin;
		return this.request(path, { method: 'POST', body, headers });
	}
}

/** A unique, valid email address for one test. */
export function uniqueEmail(label = 'user'): string {
	return `${label}-${randomId()}@example.org`;
}

/** Reads the running server's database, read-only, as an operator would look at it. */
export function queryServerDb<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
	const db = new Database(dbPath, { readonly: true, fileMustExist: true });
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}
