/**
 * Writes the insights' known world (tests/http/insights-world.ts) into the browser suite's server
 * database through the domain functions. Run by tests/e2e/insights.test.ts with tsx, which
 * resolves `$lib` from tsconfig; the browser suite itself has no `$lib` alias.
 *
 *   tsx tests/e2e/support/seed-insights-script.ts <database>
 */
import { seedInsightsWorld } from '../../http/insights-world';

seedInsightsWorld(process.argv[2]);
