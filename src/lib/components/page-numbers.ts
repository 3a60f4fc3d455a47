/** Page numbers to link, with null for a gap: 1 … 4 5 [6] 7 8 … 20. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
	const numbers: (number | null)[] = [];
	for (let n = 1; n <= pages; n += 1) {
		if (n === 1 || n === pages || Math.abs(n - page) <= 2) numbers.push(n);
		else if (numbers.at(-1) !== null) numbers.push(null);
	}
	return numbers;
}
