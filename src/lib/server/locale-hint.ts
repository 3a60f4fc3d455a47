/** The first locale we support among the Accept-Language entries, by descending quality. */
export function preferredLocale<L extends string>(
	header: string | null,
	supported: readonly L[]
): L | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.map((part, position) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const quality = q ? Number(q.slice(2)) : 1;
			return { language: tag.toLowerCase().split('-')[0], quality, position };
		})
		.filter((entry) => entry.language && Number.isFinite(entry.quality) && entry.quality > 0)
		.sort((a, b) => b.quality - a.quality || a.position - b.position);
	for (const { language } of ranked) {
		const match = supported.find((locale) => locale === language);
		if (match) return match;
	}
	return null;
}
