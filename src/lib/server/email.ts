import { asc, count, desc, isNull } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

/** What the outbox hands a message to: nodemailer's SMTP transport, or the console without SMTP. */
export type MailTransport = {
	sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
};

export type OutgoingEmail = { to: string; subject: string; body: string };

/** After this many failed attempts a message stays in the outbox with its last error. */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;
const POLL_MS = 3_000;
const BATCH = 20;

/** Stores a message for delivery; the worker sends it within a few seconds. Returns its id. */
export function queueEmail(db: Db, email: OutgoingEmail): number {
	const row = db
		.insert(table.emailOutbox)
		.values({ toAddress: email.to, subject: email.subject, body: email.body })
		.returning({ id: table.emailOutbox.id })
		.get();
	return row.id;
}

/** Exponential backoff counted from creation, so no extra column is needed: 5 s, 10 s, 20 s … 1 h. */
export function nextAttemptAt(createdAt: Date, attempts: number): Date {
	let wait = 0;
	for (let i = 0; i < attempts; i += 1) wait += Math.min(FIRST_RETRY_MS * 2 ** i, LONGEST_RETRY_MS);
	return new Date(createdAt.getTime() + wait);
}

/** Without SMTP, mail is printed (links included, so a demo can follow them) and counts as sent. */
export const consoleTransport: MailTransport = {
	async sendMail(message) {
		console.log(
			`[email] To: ${message.to}\n[email] Subject: ${message.subject}\n${message.text}\n[email] ---`
		);
	}
};

export function transportFor(config: Pick<Config, 'smtpUrl'>): MailTransport {
	return config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : consoleTransport;
}

/**
 * Sends every message that is due, oldest first, recording attempts and the last error.
 * Returns how many were sent and how many failed this round.
 */
export async function deliverPendingEmails(
	db: Db,
	transport: MailTransport,
	options: { from?: string; now?: Date } = {}
): Promise<{ sent: number; failed: number }> {
	const now = options.now ?? new Date();
	const from = options.from ?? 'CityBridge <no-reply@localhost>';
	const pending = db
		.select()
		.from(table.emailOutbox)
		.where(isNull(table.emailOutbox.sentAt))
		.orderBy(asc(table.emailOutbox.id))
		.all()
		.filter(
			(row) => row.attempts < MAX_ATTEMPTS && nextAttemptAt(row.createdAt, row.attempts) <= now
		)
		.slice(0, BATCH);
	let sent = 0;
	let failed = 0;
	for (const row of pending) {
		try {
			await transport.sendMail({ from, to: row.toAddress, subject: row.subject, text: row.body });
			db.update(table.emailOutbox)
				.set({ sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
				.where(eq(table.emailOutbox.id, row.id))
				.run();
			sent += 1;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			console.error(
				`[email] delivery of message ${row.id} failed (attempt ${row.attempts + 1})`,
				message
			);
			db.update(table.emailOutbox)
				.set({ attempts: row.attempts + 1, lastError: message.slice(0, 1000) })
				.where(eq(table.emailOutbox.id, row.id))
				.run();
			failed += 1;
		}
	}
	return { sent, failed };
}

/** Polls the outbox every few seconds. Returns a function that stops it. */
export function startOutboxWorker(db: Db, config: Config): () => void {
	const transport = transportFor(config);
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await deliverPendingEmails(db, transport, { from: config.mailFrom });
		} catch (error) {
			console.error('[email] outbox worker round failed', error);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, POLL_MS);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}

export type OutboxPage = {
	messages: {
		id: number;
		toAddress: string;
		subject: string;
		body: string;
		createdAt: Date;
		sentAt: Date | null;
		attempts: number;
		lastError: string | null;
	}[];
	page: number;
	pages: number;
	total: number;
};

/** The outbox newest first, one page at a time, for the admin page. */
export function listOutbox(db: Db, page = 1, pageSize = 20): OutboxPage {
	const total = db.select({ n: count() }).from(table.emailOutbox).get()?.n ?? 0;
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const current = Math.min(Math.max(1, Math.floor(page)), pages);
	const messages = db
		.select({
			id: table.emailOutbox.id,
			toAddress: table.emailOutbox.toAddress,
			subject: table.emailOutbox.subject,
			body: table.emailOutbox.body,
			createdAt: table.emailOutbox.createdAt,
			sentAt: table.emailOutbox.sentAt,
			attempts: table.emailOutbox.attempts,
			lastError: table.emailOutbox.lastError
		})
		.from(table.emailOutbox)
		.orderBy(desc(table.emailOutbox.id))
		.limit(pageSize)
		.offset((current - 1) * pageSize)
		.all();
	return { messages, page: current, pages, total };
}
