/**
 * Heat-map shading: five steps from empty to the largest count. The count is always written in
 * the cell too, so the shade is never the only way to read it.
 */
export const shadeSteps = 5;

/** 0 for an empty cell, else 1 (a few) to 4 (near the largest count). */
export function shadeOf(count: number, max: number): number {
	if (!(count > 0) || !(max > 0)) return 0;
	return Math.min(shadeSteps - 1, Math.max(1, Math.ceil((count / max) * (shadeSteps - 1))));
}

/** The counts each used shade stands for, for the legend: max 10 → 1–2, 3–5, 6–7, 8–10. */
export function shadeRanges(max: number): { shade: number; from: number; to: number }[] {
	const ranges: { shade: number; from: number; to: number }[] = [];
	if (!(max > 0)) return ranges;
	const steps = shadeSteps - 1;
	for (let shade = 1; shade <= steps; shade++) {
		const from = Math.floor(((shade - 1) * max) / steps) + 1;
		const to = Math.floor((shade * max) / steps);
		if (from <= to) ranges.push({ shade, from, to });
	}
	return ranges;
}
