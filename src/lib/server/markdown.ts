import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Markdown for long text fields, rendered on the server and sanitised before it reaches a page. */
const marked = new Marked({ gfm: true, breaks: false, async: false });

const allowedTags = [
	'p',
	'br',
	'strong',
	'em',
	'del',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'h3',
	'h4',
	'h5',
	'h6',
	'a',
	'hr',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td'
];

const sanitizeOptions: sanitizeHtml.IOptions = {
	allowedTags,
	allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	// Headings in a case start below the page's own h1/h2.
	transformTags: {
		h1: 'h3',
		h2: 'h3',
		// A link to anything but the web or mail keeps its text and loses the link.
		a: (tagName, attribs): sanitizeHtml.Tag =>
			safeHref(attribs.href)
				? { tagName, attribs: { href: attribs.href, rel: 'nofollow ugc noopener' } }
				: { tagName: 'span', attribs: {} }
	}
};

function safeHref(href: string | undefined): boolean {
	return href !== undefined && /^(https?:\/\/|mailto:)/i.test(href.trim());
}

/** Renders untrusted Markdown to safe HTML: a small tag set, web and mail links only, no images. */
export function renderMarkdown(source: string): string {
	const html = marked.parse(source ?? '', { async: false });
	return sanitizeHtml(html, sanitizeOptions);
}
