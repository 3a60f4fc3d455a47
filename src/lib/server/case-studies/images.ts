import { createHash } from 'node:crypto';
import { and, asc, count, eq, max, sql } from 'drizzle-orm';
import sharp, { type Metadata } from 'sharp';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/auth/policy';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import { RuleError, type Executor } from '$lib/server/organisations';
import { authorizeOnCase, canSeeUnpublished, requireCase, type CaseRow } from './access';

export { visibleCaseBySlug } from './access';

export type ImageRole = (typeof table.caseStudyImageRoles)[number];

export const MAX_FIGURES = 6;
/** Phone photos are 2–5 MB; anything larger is better made smaller before upload. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** 50 megapixels: more than any phone's default photo, and a bound on decoding memory (bombs). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Room for the other form fields and the multipart framing inside the request body limit. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
const FULL_SIZE = 1600;
export const SMALL_WIDTH = 640;
const WEBP_QUALITY = 80;

// Each upload is decoded once: libvips' operation cache would only hold memory.
sharp.cache(false);

/** The largest file accepted: 5 MB, or less when the server's request body limit is lower. */
export function maxFileBytes(bodySizeLimit = config.bodySizeLimit): number {
	return Math.max(0, Math.min(MAX_FILE_BYTES, bodySizeLimit - FORM_OVERHEAD_BYTES));
}

/** "4.2 MB" or "380 KB", in the reader's language. */
export function formatBytes(bytes: number): string {
	const format = (value: number) =>
		new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 1 }).format(value);
	return bytes >= 1024 * 1024
		? m.caseimages_megabytes({ size: format(bytes / (1024 * 1024)) })
		: m.caseimages_kilobytes({ size: format(Math.max(1, Math.round(bytes / 1024))) });
}

type SniffedType = 'jpeg' | 'png' | 'webp';

/**
 * The type from the file's first bytes, never from its name or the browser's claim. Only these
 * three reach the decoder: SVG (scripts), GIF, HEIC, TIFF and the rest are refused before.
 */
export function sniffType(bytes: Uint8Array): SniffedType | null {
	const startsWith = (signature: number[], offset = 0) =>
		bytes.length >= offset + signature.length &&
		signature.every((byte, index) => bytes[offset + index] === byte);
	if (startsWith([0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) {
		return 'webp';
	}
	return null;
}

const fileError = (code: string, message: string, status: 400 | 413 = 400) =>
	new RuleError(code, message, status, { file: message });

/** The problem with a file that shows without decoding it (missing, too big, not an image). */
export function fileProblem(bytes: Uint8Array, limit = maxFileBytes()): RuleError | null {
	if (bytes.byteLength === 0) return fileError('file_required', m.caseimages_file_required());
	if (bytes.byteLength > limit) {
		return fileError(
			'file_too_big',
			m.caseimages_file_too_big({ size: formatBytes(bytes.byteLength), max: formatBytes(limit) }),
			413
		);
	}
	if (!sniffType(bytes)) return fileError('not_image', m.caseimages_file_not_image());
	return null;
}

export type ProcessedImage = {
	width: number;
	height: number;
	data: Buffer;
	smallData: Buffer | null;
	contentHash: string;
};

const decoderOptions = {
	limitInputPixels: MAX_INPUT_PIXELS,
	// Refuse cut-off files, tolerate the harmless warnings many cameras' JPEGs produce.
	failOn: 'truncated',
	// Animated WebP/PNG: the first frame only.
	animated: false
} as const;

/**
 * Checks an uploaded file by its content and re-encodes it: auto-rotated, at most 1600 px on its
 * longer side, WebP, every metadata block (EXIF with GPS, XMP, comments) dropped, plus a 640 px
 * wide copy for phones when the image is wider. Throws a RuleError with a `file` message.
 */
export async function processUpload(
	input: Uint8Array,
	options: { maxBytes?: number } = {}
): Promise<ProcessedImage> {
	const problem = fileProblem(input, options.maxBytes ?? maxFileBytes());
	if (problem) throw problem;
	const broken = () => fileError('broken', m.caseimages_file_broken());
	let metadata: Metadata;
	try {
		// The header only: the pixel count is checked below with a clearer message than sharp's.
		metadata = await sharp(input, { ...decoderOptions, limitInputPixels: false }).metadata();
	} catch {
		throw broken();
	}
	if (metadata.format !== sniffType(input) || !metadata.width || !metadata.height) throw broken();
	if (metadata.width * metadata.height > MAX_INPUT_PIXELS) {
		throw fileError(
			'too_many_pixels',
			m.caseimages_too_many_pixels({
				width: metadata.width,
				height: metadata.height,
				max: MAX_INPUT_PIXELS / 1_000_000
			})
		);
	}
	try {
		const full = await sharp(input, decoderOptions)
			.autoOrient()
			.resize({ width: FULL_SIZE, height: FULL_SIZE, fit: 'inside', withoutEnlargement: true })
			.webp({ quality: WEBP_QUALITY })
			.toBuffer({ resolveWithObject: true });
		const smallData =
			full.info.width > SMALL_WIDTH
				? await sharp(input, decoderOptions)
						.autoOrient()
						.resize({ width: SMALL_WIDTH })
						.webp({ quality: WEBP_QUALITY })
						.toBuffer()
				: null;
		return {
			width: full.info.width,
			height: full.info.height,
			data: full.data,
			smallData,
			contentHash: createHash('sha256').update(full.data).digest('hex').slice(0, 32)
		};
	} catch {
		throw broken();
	}
}

const singleLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The text of an image, from the upload and edit forms. */
export const imageTextInput = z.object({
	alt: z
		.string({ error: () => m.caseimages_alt_required() })
		.transform(singleLine)
		.pipe(
			z
				.string()
				.min(1, { error: () => m.caseimages_alt_required() })
				.max(250, { error: () => m.caseimages_alt_too_long() })
		),
	caption: z
		.string()
		.optional()
		.transform((value) => singleLine(value ?? ''))
		.pipe(z.string().max(300, { error: () => m.caseimages_caption_too_long() })),
	role: z.enum(table.caseStudyImageRoles, { error: () => m.caseimages_role_invalid() })
});
export type ImageTextInput = z.output<typeof imageTextInput>;

/** Where an image is served; the content hash in the URL lets browsers keep it for a year. */
export function imageUrl(image: { id: string; contentHash: string }, small = false): string {
	return `/media/case-studies/${image.id}?v=${image.contentHash}${small ? `&w=${SMALL_WIDTH}` : ''}`;
}

/** A case's images without their bytes: the cover first, then the figures in order. */
export function listImages(db: Executor, caseStudyId: string) {
	return db
		.select({
			id: table.caseStudyImage.id,
			role: table.caseStudyImage.role,
			alt: table.caseStudyImage.alt,
			caption: table.caseStudyImage.caption,
			width: table.caseStudyImage.width,
			height: table.caseStudyImage.height,
			bytes: table.caseStudyImage.bytes,
			contentHash: table.caseStudyImage.contentHash,
			hasSmall: sql<boolean>`${table.caseStudyImage.smallData} is not null`.mapWith(Boolean)
		})
		.from(table.caseStudyImage)
		.where(eq(table.caseStudyImage.caseStudyId, caseStudyId))
		.orderBy(asc(table.caseStudyImage.role), asc(table.caseStudyImage.position))
		.all()
		.map(({ contentHash, hasSmall, ...image }) => {
			const url = imageUrl({ id: image.id, contentHash });
			const smallUrl = hasSmall ? imageUrl({ id: image.id, contentHash }, true) : null;
			return {
				...image,
				url,
				smallUrl,
				// Phones take the 640 px copy when there is one.
				srcset: smallUrl ? `${smallUrl} ${SMALL_WIDTH}w, ${url} ${image.width}w` : null
			};
		});
}
export type CaseStudyImage = ReturnType<typeof listImages>[number];

function roleCounts(db: Executor, caseStudyId: string) {
	const rows = db
		.select({ role: table.caseStudyImage.role, count: count() })
		.from(table.caseStudyImage)
		.where(eq(table.caseStudyImage.caseStudyId, caseStudyId))
		.groupBy(table.caseStudyImage.role)
		.all();
	return {
		cover: rows.find((row) => row.role === 'cover')?.count ?? 0,
		figure: rows.find((row) => row.role === 'figure')?.count ?? 0
	};
}

/** Refuses a new image in `role` when the case already has its cover or all its figures. */
function checkRoom(db: Executor, caseStudyId: string, role: ImageRole) {
	const counts = roleCounts(db, caseStudyId);
	if (role === 'cover' && counts.cover >= 1) {
		throw new RuleError('cover_taken', m.caseimages_cover_taken(), 409, {
			role: m.caseimages_cover_taken()
		});
	}
	if (role === 'figure' && counts.figure >= MAX_FIGURES) {
		const message = m.caseimages_too_many_figures({ max: MAX_FIGURES });
		throw new RuleError('too_many_figures', message, 409, { role: message });
	}
}

function nextPosition(db: Executor, caseStudyId: string, role: ImageRole): number {
	const row = db
		.select({ last: max(table.caseStudyImage.position) })
		.from(table.caseStudyImage)
		.where(
			and(eq(table.caseStudyImage.caseStudyId, caseStudyId), eq(table.caseStudyImage.role, role))
		)
		.get();
	return (row?.last ?? -1) + 1;
}

/** The case, when the actor may change its images: members of its organisation, not archived. */
export function requireEditableCase(db: Executor, actor: Actor, caseStudyId: string): CaseRow {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:edit', row);
	if (row.workflowState === 'archived') {
		throw new RuleError('archived', m.cases_archived_not_editable(), 409);
	}
	return row;
}

/**
 * Adds an uploaded image to a case. Who may and whether there is room are checked before the
 * file is decoded (strangers cost no work) and again in the writing transaction.
 */
export async function addImage(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	input: ImageTextInput,
	file: Uint8Array,
	now = new Date()
): Promise<{ id: string }> {
	requireEditableCase(db, actor, caseStudyId);
	checkRoom(db, caseStudyId, input.role);
	const image = await processUpload(file);
	return db.transaction((tx) => {
		requireEditableCase(tx, actor, caseStudyId);
		checkRoom(tx, caseStudyId, input.role);
		const id = randomId();
		tx.insert(table.caseStudyImage)
			.values({
				id,
				caseStudyId,
				role: input.role,
				position: nextPosition(tx, caseStudyId, input.role),
				alt: input.alt,
				caption: input.caption,
				width: image.width,
				height: image.height,
				bytes: image.data.byteLength,
				data: image.data,
				smallData: image.smallData,
				contentHash: image.contentHash,
				createdBy: actor?.id ?? null,
				createdAt: now
			})
			.run();
		return { id };
	});
}

/** The image of the given case, or "not found" (an id from another case is not found either). */
function requireImage(db: Executor, caseStudyId: string, imageId: string) {
	const image = db
		.select({ id: table.caseStudyImage.id, role: table.caseStudyImage.role })
		.from(table.caseStudyImage)
		.where(
			and(eq(table.caseStudyImage.id, imageId), eq(table.caseStudyImage.caseStudyId, caseStudyId))
		)
		.get();
	if (!image) {
		throw new RuleError('image_not_found', m.caseimages_not_found(), 404, {
			imageId: m.caseimages_not_found()
		});
	}
	return image;
}

/** Changes an image's alt text, caption or role (a figure can become the cover and back). */
export function updateImage(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	imageId: string,
	input: ImageTextInput
): void {
	db.transaction((tx) => {
		requireEditableCase(tx, actor, caseStudyId);
		const image = requireImage(tx, caseStudyId, imageId);
		const roleChanged = image.role !== input.role;
		if (roleChanged) checkRoom(tx, caseStudyId, input.role);
		tx.update(table.caseStudyImage)
			.set({
				alt: input.alt,
				caption: input.caption,
				role: input.role,
				...(roleChanged ? { position: nextPosition(tx, caseStudyId, input.role) } : {})
			})
			.where(eq(table.caseStudyImage.id, imageId))
			.run();
	});
}

export function removeImage(db: Db, actor: Actor, caseStudyId: string, imageId: string): void {
	db.transaction((tx) => {
		requireEditableCase(tx, actor, caseStudyId);
		requireImage(tx, caseStudyId, imageId);
		tx.delete(table.caseStudyImage).where(eq(table.caseStudyImage.id, imageId)).run();
	});
}

/**
 * The bytes to serve, or null when the image does not exist or its case is hidden from the
 * actor. `isPublic` says whether shared caches may keep it (only images of published cases).
 */
export function imageForServing(db: Db, actor: Actor, imageId: string, small: boolean) {
	const row = db
		.select({
			data: small ? table.caseStudyImage.smallData : table.caseStudyImage.data,
			contentHash: table.caseStudyImage.contentHash,
			organisationId: table.caseStudy.organisationId,
			workflowState: table.caseStudy.workflowState
		})
		.from(table.caseStudyImage)
		.innerJoin(table.caseStudy, eq(table.caseStudy.id, table.caseStudyImage.caseStudyId))
		.where(eq(table.caseStudyImage.id, imageId))
		.get();
	if (!row || !row.data) return null;
	const isPublic = row.workflowState === 'published';
	if (!isPublic && !canSeeUnpublished(db, actor, row)) return null;
	return {
		data: row.data,
		etag: `"${row.contentHash}${small ? `-${SMALL_WIDTH}` : ''}"`,
		contentHash: row.contentHash,
		isPublic
	};
}
