import { describe, expect, it } from 'vitest';
import { monthChart, niceCeiling } from './month-chart';

describe('the month chart', () => {
	it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
		expect(niceCeiling(0)).toBe(1);
		expect(niceCeiling(1)).toBe(1);
		expect(niceCeiling(3)).toBe(5);
		expect(niceCeiling(11)).toBe(20);
		expect(niceCeiling(50)).toBe(50);
		expect(niceCeiling(51)).toBe(100);
	});

	it('draws each series from the first month at the left to the last at the right', () => {
		const chart = monthChart(
			['2025-01', '2025-02', '2025-03'],
			[
				{ key: 'need', values: [0, 5, 10] },
				{ key: 'offer', values: [10, 0, 0] }
			]
		);
		expect(chart.max).toBe(10);
		const [need, offer] = chart.lines;
		expect(need.points.map((p) => p.x)).toEqual([48, 336, 624]);
		expect(need.points[0].y).toBe(chart.plot.bottom);
		expect(need.points[2].y).toBe(chart.plot.top);
		expect(offer.points[0].y).toBe(chart.plot.top);
		expect(need.d).toBe(
			`M48 ${chart.plot.bottom}L336 ${(chart.plot.top + chart.plot.bottom) / 2}L624 ${chart.plot.top}`
		);
		expect(chart.yTicks.map((tick) => tick.value)).toEqual([0, 5, 10]);
	});

	it('labels at most six months, always the first and the last', () => {
		const months = Array.from(
			{ length: 36 },
			(_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
		);
		const chart = monthChart(months, [{ key: 'need', values: months.map(() => 0) }]);
		const labelled = chart.xTicks.map((tick) => tick.month);
		expect(labelled.length).toBeLessThanOrEqual(6);
		expect(labelled[0]).toBe('2023-01');
		expect(labelled.at(-1)).toBe('2025-12');
		expect(chart.max).toBe(1);
	});

	it('keeps the labels before the last one a full step apart, so none overlaps it', () => {
		for (let length = 7; length <= 40; length += 1) {
			const months = Array.from(
				{ length },
				(_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
			);
			const chart = monthChart(months, [{ key: 'need', values: months.map(() => 1) }]);
			const gaps = chart.xTicks.slice(1).map((tick, i) => tick.x - chart.xTicks[i].x);
			const step = gaps[0];
			expect(chart.xTicks.at(-1)?.month, `${length} months`).toBe(months.at(-1));
			expect(Math.min(...gaps), `${length} months`).toBeGreaterThanOrEqual(step - 0.2);
		}
	});

	it('puts a single month in the middle', () => {
		const chart = monthChart(['2025-06'], [{ key: 'need', values: [3] }]);
		expect(chart.lines[0].points).toEqual([
			{ x: 336, y: chart.plot.top + 0.4 * (chart.plot.bottom - chart.plot.top) }
		]);
		expect(chart.xTicks).toEqual([{ month: '2025-06', x: 336 }]);
	});
});
