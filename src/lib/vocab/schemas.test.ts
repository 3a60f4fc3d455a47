import { describe, expect, it } from 'vitest';
import {
	incomeGroupSchema,
	organisationKindSchema,
	regionCodeSchema,
	sdgTargetIdSchema,
	serviceDomainSchema,
	themeIdSchema
} from './schemas';

describe('vocabulary schemas', () => {
	it('accepts known ids', () => {
		expect(themeIdSchema.parse('G')).toBe('G');
		expect(sdgTargetIdSchema.parse('11.b')).toBe('11.b');
		expect(serviceDomainSchema.parse('waste')).toBe('waste');
		expect(organisationKindSchema.parse('academia')).toBe('academia');
		expect(regionCodeSchema.parse('009')).toBe('009');
		expect(incomeGroupSchema.parse('UM')).toBe('UM');
	});

	it('refuses unknown ids, other types and look-alikes with a readable message', () => {
		for (const value of ['x', '', 'WASTE', ' waste', 1, null, undefined, ['waste'], {}]) {
			const result = serviceDomainSchema.safeParse(value);
			expect(result.success, String(value)).toBe(false);
			expect(result.error?.issues[0].message).toBe('Choose one of the listed options.');
		}
		expect(regionCodeSchema.safeParse('2').success).toBe(false);
		expect(sdgTargetIdSchema.safeParse('11.1.1').success).toBe(false);
	});
});
