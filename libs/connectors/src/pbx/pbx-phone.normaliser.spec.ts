import { normalisePbxPhone, PBX_NATIONAL_NUMBER_COUNTRIES } from './pbx-phone.normaliser';

describe('normalisePbxPhone', () => {
  it('lists the countries whose national numbers it completes', () => {
    expect(PBX_NATIONAL_NUMBER_COUNTRIES).toEqual(['US', 'CA', 'GB', 'DE', 'FR', 'NL']);
  });

  it.each([
    // International forms need no country.
    ['+14155551212', undefined, '+14155551212'],
    ['+44 20 7946 0018', undefined, '+442079460018'],
    ['0049 30 1234567', undefined, '+49301234567'],
    // North America: 10 digits, 1 + 10 digits, 011 + international.
    ['(415) 555-1212', 'US', '+14155551212'],
    ['4155551212', 'us', '+14155551212'],
    ['14155551212', 'US', '+14155551212'],
    ['555-555-5555', 'US', '+15555555555'],
    ['4385551212', 'CA', '+14385551212'],
    ['011442079460018', 'US', '+442079460018'],
    // Trunk prefix 0, or the country code without +.
    ['020 7946 0018', 'GB', '+442079460018'],
    ['442079460018', 'GB', '+442079460018'],
    ['030 1234567', 'DE', '+49301234567'],
    ['0151 12345678', 'DE', '+4915112345678'],
    ['49301234567', 'DE', '+49301234567'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['33123456789', 'FR', '+33123456789'],
    ['020 123 4567', 'NL', '+31201234567'],
    ['31201234567', 'NL', '+31201234567'],
  ])('reads %s with defaultCountry %s as %s', (raw, country, expected) => {
    expect(normalisePbxPhone(raw, country)).toBe(expected);
  });

  it.each<[string | undefined, string | undefined, string]>([
    ['8007', 'US', 'an internal extension'],
    ['2000', 'DE', 'an internal extension'],
    ['anonymous', 'US', 'a withheld caller'],
    ['<unknown>', 'US', 'an unknown caller'],
    ['+266696687', 'US', 'the carriers’ ANONYMOUS number'],
    ['4155551212', undefined, 'a national number without a country'],
    ['0612345678', 'BE', 'a national number of a country without a plan'],
    ['1155551212', 'US', 'a NANP number whose area code starts with 1'],
    ['02079460018', 'US', 'a GB national number read as US'],
    ['sip:alice@example.com', 'US', 'a SIP URI'],
    [undefined, 'US', 'no caller id'],
  ])('leaves %s (%s) out: %s', (raw, country) => {
    expect(normalisePbxPhone(raw, country)).toBeUndefined();
  });
});
