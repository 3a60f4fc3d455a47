import { actorOf } from '$lib/server/auth/guards';
import * as images from '$lib/server/case-studies/images';
import { appDb } from '$lib/server/db/app';
import type { RequestHandler } from './$types';

const oneYear = 60 * 60 * 24 * 365;

/** True when the request's If-None-Match names this ETag (weak or strong, or `*`). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	return ifNoneMatch
		.split(',')
		.map((tag) => tag.trim().replace(/^W\//, ''))
		.some((tag) => tag === etag || tag === '*');
}

/**
 * A case study's image as WebP. Images of published cases may be kept by any cache, for a year
 * when the URL names the content hash (`?v=`); images of other cases only by the member's own
 * browser, checked again each time. A hidden case's image answers 404, never cached.
 */
export const GET: RequestHandler = ({ params, url, locals, request }) => {
	const small = url.searchParams.get('w') === String(images.SMALL_WIDTH);
	const image = images.imageForServing(appDb(), actorOf(locals), params.id, small);
	if (!image) {
		return new Response('Not found', {
			status: 404,
			headers: {
				'content-type': 'text/plain; charset=utf-8',
				'cache-control': 'private, no-store',
				'x-content-type-options': 'nosniff'
			}
		});
	}
	const versioned = url.searchParams.get('v') === image.contentHash;
	const headers = {
		etag: image.etag,
		'cache-control': image.isPublic
			? versioned
				? `public, max-age=${oneYear}, immutable`
				: 'public, no-cache'
			: 'private, no-cache',
		'x-content-type-options': 'nosniff'
	};
	if (matches(request.headers.get('if-none-match'), image.etag)) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(new Uint8Array(image.data), {
		headers: {
			...headers,
			'content-type': 'image/webp',
			'content-length': String(image.data.byteLength)
		}
	});
};
