import { describe, expect, it } from 'vitest';
import { pageNumbers } from './page-numbers';

describe('pageNumbers', () => {
	it('shows the first, the last and two either side of the current page, with gaps', () => {
		expect(pageNumbers(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
		expect(pageNumbers(1, 3)).toEqual([1, 2, 3]);
		expect(pageNumbers(1, 1)).toEqual([1]);
	});
});
