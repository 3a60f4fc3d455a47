import { xmlText } from '$lib/server/atom';

/**
 * A small XML tree writer for the IATI export: elements, attributes (left out when null or
 * undefined) and text, every value escaped by the Atom builder's `xmlText`.
 */

export type XmlAttributes = Record<string, string | number | boolean | null | undefined>;
export type XmlElement = {
	name: string;
	attributes: XmlAttributes;
	children: XmlElement[];
	text: string | null;
};
/** A child that is not there (a condition that did not hold) is skipped. */
type Child = XmlElement | null | undefined | false;

export function el(
	name: string,
	attributes: XmlAttributes = {},
	children: Child[] = []
): XmlElement {
	return {
		name,
		attributes,
		children: children.filter((child): child is XmlElement => Boolean(child)),
		text: null
	};
}

/** An element holding text only. */
export function textEl(name: string, text: string, attributes: XmlAttributes = {}): XmlElement {
	return { name, attributes, children: [], text };
}

function attributeText(attributes: XmlAttributes): string {
	return Object.entries(attributes)
		.filter(([, value]) => value !== null && value !== undefined)
		.map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
		.join('');
}

/** The element and its descendants, two spaces of indentation a level; text is never re-indented. */
export function renderXml(element: XmlElement, depth = 0): string {
	const indent = '  '.repeat(depth);
	const open = `${indent}<${element.name}${attributeText(element.attributes)}`;
	if (element.text !== null) return `${open}>${xmlText(element.text)}</${element.name}>`;
	if (element.children.length === 0) return `${open}/>`;
	return [
		`${open}>`,
		...element.children.map((child) => renderXml(child, depth + 1)),
		`${indent}</${element.name}>`
	].join('\n');
}

export function xmlDocument(root: XmlElement): string {
	return `<?xml version="1.0" encoding="utf-8"?>\n${renderXml(root)}\n`;
}
