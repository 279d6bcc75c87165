import { descriptionPhysicalId, parseDescriptionPhysicalId } from '../../lambda/description/original';

const IMAGE = 'ami-0123456789abcdef0';

test.each([
  ['a plain description', 'Golden image'],
  ['an empty one', ''],
  ['non-ASCII and slashes', 'Ünïcode / with "quotes" and /description/ inside'],
  ['255 characters', 'x'.repeat(255)],
])('round-trips %s through the physical id', (_name, original) => {
  const id = descriptionPhysicalId(IMAGE, original);
  expect(id.startsWith(`${IMAGE}/description/`)).toBe(true);
  expect(parseDescriptionPhysicalId(id)).toEqual({ imageId: IMAGE, original });
});

test('an AMI without a description is remembered as such', () => {
  expect(parseDescriptionPhysicalId(descriptionPhysicalId(IMAGE, undefined))).toEqual({ imageId: IMAGE, original: undefined });
});

test('ids it did not make are not mistaken for remembered descriptions', () => {
  expect(parseDescriptionPhysicalId('Desc-not-created')).toBeUndefined();
  expect(parseDescriptionPhysicalId(`${IMAGE}/description/zzz`)).toBeUndefined();
});

test('stays within CloudFormation\'s 1 KB physical id for any 255-character ASCII description', () => {
  expect(Buffer.byteLength(descriptionPhysicalId(IMAGE, '~'.repeat(255)))).toBeLessThanOrEqual(1024);
  expect(() => descriptionPhysicalId(IMAGE, '😀'.repeat(255))).toThrow('too long to remember');
});
