import { problem } from './problem';

/** The largest JSON body the write endpoints read: a need or offer is a few KiB. */
export const JSON_BODY_MAX_BYTES = 64 * 1024;

export type JsonBody =
	{ ok: true; value: Record<string, unknown> } | { ok: false; response: Response };

const isJsonMediaType = (contentType: string | null) =>
	/^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType?.trim() ?? '');

/** Reads at most `maxBytes` of the body; null as soon as it is longer. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | null> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let length = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		length += value.byteLength;
		if (length > maxBytes) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/**
 * A write request's JSON object, or the problem to answer: 415 when the body is not declared as
 * JSON, 413 when it is larger than `maxBytes` (checked while reading, whatever Content-Length
 * says), 400 when it is not UTF-8 JSON or not an object.
 */
export async function readJsonObject(
	request: Request,
	maxBytes = JSON_BODY_MAX_BYTES
): Promise<JsonBody> {
	if (!isJsonMediaType(request.headers.get('content-type'))) {
		return {
			ok: false,
			response: problem(415, 'Send the body as JSON, with "Content-Type: application/json".')
		};
	}
	const tooLarge = () => ({
		ok: false as const,
		response: problem(413, `The body is larger than ${maxBytes / 1024} KiB.`)
	});
	if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge();
	const bytes = await readLimited(request, maxBytes);
	if (!bytes) return tooLarge();
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch (failure) {
		const reason = failure instanceof SyntaxError ? `: ${failure.message}` : ' (not UTF-8)';
		return { ok: false, response: problem(400, `The body is not valid JSON${reason}.`) };
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { ok: false, response: problem(400, 'The body must be a JSON object.') };
	}
	return { ok: true, value: value as Record<string, unknown> };
}
