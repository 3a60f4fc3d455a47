import { defineConfig } from 'vitest/config';

/**
 * The browser suite: real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against
 * the real built server (`npm run build` first). One browser per file, files one after another,
 * so the suite stays predictable on a 2-core CI machine.
 */
export default defineConfig({
	test: {
		name: 'e2e',
		environment: 'node',
		include: ['tests/e2e/**/*.test.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 60_000,
		teardownTimeout: 20_000
	}
});
