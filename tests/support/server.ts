import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { randomId } from '../../src/lib/server/ids';
import { tmpRoot } from './paths';

export type RunningServer = { url: string; dbPath: string; stop: () => Promise<void> };

/** The test admin that ADMIN_EMAIL/ADMIN_PASSWORD create at start. */
export const testAdmin = { email: 'admin@citybridge.test', password: 'test-admin-passphrase-42' };

/** A TCP port free on this machine at the time of asking. */
export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => done(port));
		});
	});
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
		try {
			const response = await fetch(`${url}/health`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error(`server did not become healthy in 60 s:\n${output()}`);
}

/**
 * Starts the real production build (`build/index.js`, from `npm run build`) on a free port with
 * its own fresh database file.
 */
export async function startBuiltServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const dbPath = resolve(tmpRoot, `server-${randomId()}.db`);
	let log = '';
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			DATABASE_PATH: dbPath,
			// Each test client sends its own address, so per-IP limits do not leak between tests.
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			LOG_REQUESTS: 'false',
			DEMO_CONTENT: 'false',
			ADMIN_EMAIL: testAdmin.email,
			ADMIN_PASSWORD: testAdmin.password,
			SMTP_URL: '',
			// As `npm start`: room for 5 MB image uploads.
			BODY_SIZE_LIMIT: '6M',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	await waitForHealth(url, child, () => log);
	return {
		url,
		dbPath,
		stop: async () => {
			if (child.exitCode === null) {
				await new Promise((done) => {
					child.once('exit', done);
					child.kill('SIGTERM');
				});
			}
			for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
		}
	};
}
