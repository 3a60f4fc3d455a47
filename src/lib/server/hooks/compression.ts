import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { Handle } from '@sveltejs/kit';

export type ContentEncoding = 'br' | 'gzip';

/** Text formats worth compressing; images and archives are compressed already. */
const compressibleType =
	/^(text\/|image\/svg\+xml|application\/([a-z.+-]*\+)?(json|jsonl|xml|javascript|ld\+json))/i;

/** Below this many bytes the encoding overhead outweighs the saving. */
const minimumBytes = 1024;

/**
 * The encoding to answer with for an Accept-Encoding header: brotli, then gzip, when the
 * client accepts it with a quality above zero (directly or through `*`).
 */
export function preferredEncoding(acceptEncoding: string | null): ContentEncoding | null {
	if (!acceptEncoding) return null;
	const quality = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [name = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
		const q = parameters.find((parameter) => parameter.startsWith('q='));
		const value = q === undefined ? 1 : Number(q.slice(2));
		if (name) quality.set(name, Number.isFinite(value) ? value : 0);
	}
	for (const encoding of ['br', 'gzip'] as const) {
		const accepted = quality.get(encoding) ?? quality.get('*') ?? 0;
		if (accepted > 0) return encoding;
	}
	return null;
}

function compressor(encoding: ContentEncoding) {
	// Quality 5 brotli and level 6 gzip: most of the saving at a small share of the CPU.
	return encoding === 'br'
		? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
		: createGzip({ level: 6 });
}

/**
 * Compresses text answers (pages, JSON, CSV, feeds, bulk files) for clients that accept it:
 * readers on slow phone connections get a quarter of the bytes. adapter-node serves the static
 * assets precompressed itself; this covers what the app renders. Only GET answers are
 * compressed, so a form's answer, which may echo what was typed beside a secret (a new API
 * token), never is (BREACH).
 */
export const handleCompression: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (event.request.method !== 'GET' || !response.body || !compressibleType.test(type)) {
		return response;
	}
	const vary = response.headers.get('vary');
	response.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
	const encoding = preferredEncoding(event.request.headers.get('accept-encoding'));
	const length = response.headers.get('content-length');
	if (
		!encoding ||
		response.headers.has('content-encoding') ||
		(length !== null && Number(length) < minimumBytes)
	) {
		return response;
	}
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.set('content-encoding', encoding);
	const etag = headers.get('etag');
	// The compressed bytes differ from the identity ones, so a strong validator must not match both.
	if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
	const body = pipeline(
		Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
		compressor(encoding),
		() => {}
	);
	return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};
