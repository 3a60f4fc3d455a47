import { describe, expect, it, vi } from 'vitest';
import * as email from '../../src/lib/server/email';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import { freshDb } from '../support/db';

type Sent = { from: string; to: string; subject: string; text: string };

function recordingTransport(failuresBeforeSuccess = 0) {
	const sent: Sent[] = [];
	let failures = failuresBeforeSuccess;
	const transport: email.MailTransport = {
		async sendMail(message) {
			if (failures > 0) {
				failures -= 1;
				throw new Error('SMTP server said 451 try later');
			}
			sent.push(message);
		}
	};
	return { sent, transport };
}

function rows(db: Db) {
	return db.select().from(table.emailOutbox).all();
}

describe('email outbox', () => {
	it('queues mail and delivers it oldest first, marking it sent', async () => {
		const db = freshDb();
		const first = email.queueEmail(db, { to: 'a@example.org', subject: 'One', body: 'Body 1' });
		const second = email.queueEmail(db, { to: 'b@example.org', subject: 'Two', body: 'Body 2' });
		expect(second).toBeGreaterThan(first);
		const { sent, transport } = recordingTransport();
		expect(
			await email.deliverPendingEmails(db, transport, { from: 'CB <cb@example.org>' })
		).toEqual({
			sent: 2,
			failed: 0
		});
		expect(sent.map((s) => s.subject)).toEqual(['One', 'Two']);
		expect(sent[0]).toEqual({
			from: 'CB <cb@example.org>',
			to: 'a@example.org',
			subject: 'One',
			text: 'Body 1'
		});
		expect(rows(db).every((r) => r.sentAt instanceof Date && r.attempts === 1)).toBe(true);
		expect(await email.deliverPendingEmails(db, transport)).toEqual({ sent: 0, failed: 0 });
	});

	it('records failures and retries with backoff until it gives up', async () => {
		const db = freshDb();
		vi.spyOn(console, 'error').mockImplementation(() => {});
		email.queueEmail(db, { to: 'a@example.org', subject: 'S', body: 'B' });
		const { sent, transport } = recordingTransport(1);
		const created = rows(db)[0].createdAt;
		expect(await email.deliverPendingEmails(db, transport, { now: created })).toEqual({
			sent: 0,
			failed: 1
		});
		expect(rows(db)[0]).toMatchObject({
			attempts: 1,
			sentAt: null,
			lastError: 'SMTP server said 451 try later'
		});
		// Not due again before the first backoff has passed.
		expect(await email.deliverPendingEmails(db, transport, { now: created })).toEqual({
			sent: 0,
			failed: 0
		});
		const later = new Date(created.getTime() + 5_000);
		expect(await email.deliverPendingEmails(db, transport, { now: later })).toEqual({
			sent: 1,
			failed: 0
		});
		expect(sent).toHaveLength(1);
		expect(rows(db)[0]).toMatchObject({ attempts: 2, lastError: null });

		const failing = recordingTransport(100).transport;
		email.queueEmail(db, { to: 'c@example.org', subject: 'S', body: 'B' });
		const far = new Date(Date.now() + 365 * 24 * 3600 * 1000);
		for (let i = 0; i < email.MAX_ATTEMPTS + 2; i += 1)
			await email.deliverPendingEmails(db, failing, { now: far });
		expect(rows(db)[1]).toMatchObject({ attempts: email.MAX_ATTEMPTS, sentAt: null });
		vi.restoreAllMocks();
	});

	it('backs off exponentially up to an hour', () => {
		const t0 = new Date(0);
		expect(email.nextAttemptAt(t0, 0).getTime()).toBe(0);
		expect(email.nextAttemptAt(t0, 1).getTime()).toBe(5_000);
		expect(email.nextAttemptAt(t0, 2).getTime()).toBe(15_000);
		expect(email.nextAttemptAt(t0, 12).getTime() - email.nextAttemptAt(t0, 11).getTime()).toBe(
			3_600_000
		);
	});

	it('without SMTP prints the message (links included) and counts it as sent', async () => {
		const db = freshDb();
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		email.queueEmail(db, {
			to: 'a@example.org',
			subject: 'Link',
			body: 'Open http://localhost/x?token=abc'
		});
		const transport = email.transportFor({ smtpUrl: null });
		expect(transport).toBe(email.consoleTransport);
		await email.deliverPendingEmails(db, transport);
		expect(log.mock.calls.flat().join('\n')).toContain('http://localhost/x?token=abc');
		expect(rows(db)[0].sentAt).toBeInstanceOf(Date);
		log.mockRestore();
	});

	it('uses nodemailer when SMTP is configured', () => {
		const transport = email.transportFor({ smtpUrl: 'smtp://127.0.0.1:2525' });
		expect(transport).not.toBe(email.consoleTransport);
		expect(typeof transport.sendMail).toBe('function');
	});

	it('the worker delivers queued mail and stops', async () => {
		const db = freshDb();
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		email.queueEmail(db, { to: 'a@example.org', subject: 'S', body: 'B' });
		const stop = email.startOutboxWorker(db, {
			smtpUrl: null,
			mailFrom: 'CB <cb@example.org>'
		} as Parameters<typeof email.startOutboxWorker>[1]);
		await vi.waitFor(() => expect(rows(db)[0].sentAt).toBeInstanceOf(Date));
		stop();
		log.mockRestore();
	});

	it('lists the outbox newest first, one page at a time', () => {
		const db = freshDb();
		for (let i = 1; i <= 25; i += 1)
			email.queueEmail(db, { to: `${i}@example.org`, subject: `S${i}`, body: 'B' });
		const first = email.listOutbox(db, 1, 10);
		expect(first).toMatchObject({ page: 1, pages: 3, total: 25 });
		expect(first.messages.map((m) => m.subject).slice(0, 2)).toEqual(['S25', 'S24']);
		expect(email.listOutbox(db, 3, 10).messages).toHaveLength(5);
		expect(email.listOutbox(db, 99, 10).page).toBe(3);
		expect(email.listOutbox(db, -1, 10).page).toBe(1);
		expect(email.listOutbox(freshDb()).messages).toEqual([]);
	});
});
