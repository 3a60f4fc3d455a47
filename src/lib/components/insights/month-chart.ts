/**
 * Geometry of the month chart: one line per kind of record over the months, drawn by the server
 * as SVG. Coordinates are rounded to one decimal to keep the markup small.
 */
export type ChartLine<K extends string> = { key: K; d: string; points: { x: number; y: number }[] };
export type MonthChart<K extends string> = {
	width: number;
	height: number;
	plot: { left: number; top: number; right: number; bottom: number };
	/** The y axis' top value: the largest count rounded up to 1, 2 or 5 × a power of ten. */
	max: number;
	yTicks: { value: number; y: number }[];
	xTicks: { month: string; x: number }[];
	lines: ChartLine<K>[];
};

const round = (value: number) => Math.round(value * 10) / 10;

export function niceCeiling(value: number): number {
	if (!(value > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(value));
	const step = [1, 2, 5, 10].find((factor) => factor * power >= value)!;
	return step * power;
}

/**
 * At most `most` month labels: the first, the last, and evenly spaced ones between. A label
 * closer than a full step to the last one goes: the last label is drawn leftwards from its
 * month, so a nearer one would overlap it.
 */
function monthTicks(count: number, most: number): number[] {
	if (count <= most) return [...Array(count).keys()];
	const step = Math.ceil((count - 1) / (most - 1));
	const ticks: number[] = [];
	for (let index = 0; index < count - 1; index += step) ticks.push(index);
	if (count - 1 - ticks[ticks.length - 1] < step) ticks.pop();
	ticks.push(count - 1);
	return ticks;
}

export function monthChart<K extends string>(
	months: readonly string[],
	series: readonly { key: K; values: readonly number[] }[],
	size: { width: number; height: number } = { width: 640, height: 240 }
): MonthChart<K> {
	const plot = { left: 48, top: 12, right: size.width - 16, bottom: size.height - 32 };
	const largest = Math.max(0, ...series.flatMap((line) => line.values));
	const max = niceCeiling(largest);
	const xOf = (index: number) =>
		months.length <= 1
			? (plot.left + plot.right) / 2
			: plot.left + (index * (plot.right - plot.left)) / (months.length - 1);
	const yOf = (value: number) => plot.bottom - (value / max) * (plot.bottom - plot.top);
	const lines = series.map(({ key, values }) => {
		const points = values.map((value, index) => ({ x: round(xOf(index)), y: round(yOf(value)) }));
		const d = points.map((point, index) => `${index ? 'L' : 'M'}${point.x} ${point.y}`).join('');
		return { key, d, points };
	});
	return {
		width: size.width,
		height: size.height,
		plot,
		max,
		yTicks: [0, max / 2, max].map((value) => ({ value, y: round(yOf(value)) })),
		xTicks: monthTicks(months.length, 6).map((index) => ({
			month: months[index],
			x: round(xOf(index))
		})),
		lines
	};
}
