import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type {
	ListingVisibility,
	NeedStatus,
	NeedTimeframe,
	OfferFormat,
	OfferStatus
} from './matchmaking';

/**
 * Labels for the needs-and-offers vocabularies, in the request's language unless `locale` is
 * given. Safe for the browser. A code that is not in the vocabulary is shown as itself.
 */
type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const timeframeLabels: Record<NeedTimeframe, Message> = {
	within_3_months: m.needsoffers_timeframe_within_3_months,
	within_12_months: m.needsoffers_timeframe_within_12_months,
	over_12_months: m.needsoffers_timeframe_over_12_months
};

const formatLabels: Record<OfferFormat, Message> = {
	training: m.needsoffers_format_training,
	technical_assistance: m.needsoffers_format_technical_assistance,
	study_visit: m.needsoffers_format_study_visit,
	peer_exchange: m.needsoffers_format_peer_exchange,
	twinning: m.needsoffers_format_twinning,
	grant: m.needsoffers_format_grant,
	loan: m.needsoffers_format_loan,
	expert_secondment: m.needsoffers_format_expert_secondment,
	software_or_data: m.needsoffers_format_software_or_data,
	other: m.needsoffers_format_other
};

const needStatusLabels: Record<NeedStatus, Message> = {
	open: m.needsoffers_need_status_open,
	in_discussion: m.needsoffers_need_status_in_discussion,
	matched: m.needsoffers_need_status_matched,
	closed: m.needsoffers_need_status_closed
};

const offerStatusLabels: Record<OfferStatus, Message> = {
	open: m.needsoffers_offer_status_open,
	closed: m.needsoffers_offer_status_closed
};

const visibilityLabels: Record<ListingVisibility, Message> = {
	public: m.needsoffers_visibility_public,
	verified: m.needsoffers_visibility_verified
};

function lookup<K extends string>(labels: Record<K, Message>, id: string, locale?: Locale) {
	const message = Object.hasOwn(labels, id) ? labels[id as K] : undefined;
	return message ? message({}, locale ? { locale } : {}) : id;
}

export const timeframeLabel = (id: NeedTimeframe | string, locale?: Locale) =>
	lookup(timeframeLabels, id, locale);
export const offerFormatLabel = (id: OfferFormat | string, locale?: Locale) =>
	lookup(formatLabels, id, locale);
export const needStatusLabel = (id: NeedStatus | string, locale?: Locale) =>
	lookup(needStatusLabels, id, locale);
export const offerStatusLabel = (id: OfferStatus | string, locale?: Locale) =>
	lookup(offerStatusLabels, id, locale);
export const visibilityLabel = (id: ListingVisibility | string, locale?: Locale) =>
	lookup(visibilityLabels, id, locale);
export const expiredLabel = (locale?: Locale) =>
	m.needsoffers_expired({}, locale ? { locale } : {});
