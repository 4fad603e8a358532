import { normaliseE164 } from '../twilio-voice/e164-phone.normaliser';

/** How a country writes numbers without `+`: calling code, international prefix, shapes. */
interface NumberingPlan {
  countryCode: string;
  /** The prefix that dials abroad (`011` in North America; `00` is read everywhere). */
  internationalPrefix?: string;
  /** A national number with its trunk prefix; group 1 is the national significant number. */
  national: RegExp;
  /** The country code and national significant number without `+`, as many trunks send it. */
  withCountryCode: RegExp;
}

const NANP: NumberingPlan = {
  countryCode: '1',
  internationalPrefix: '011',
  national: /^([2-9]\d{2}[2-9]\d{6})$/,
  withCountryCode: /^1[2-9]\d{2}[2-9]\d{6}$/,
};

const PLANS: Readonly<Record<string, NumberingPlan>> = {
  US: NANP,
  CA: NANP,
  GB: { countryCode: '44', national: /^0([1-9]\d{8,9})$/, withCountryCode: /^44[1-9]\d{8,9}$/ },
  DE: { countryCode: '49', national: /^0([1-9]\d{5,12})$/, withCountryCode: /^49[1-9]\d{6,12}$/ },
  FR: { countryCode: '33', national: /^0([1-9]\d{8})$/, withCountryCode: /^33[1-9]\d{8}$/ },
  NL: { countryCode: '31', national: /^0([1-9]\d{8})$/, withCountryCode: /^31[1-9]\d{8}$/ },
};

/** The ISO 3166 alpha-2 codes whose national numbers `defaultCountry` can complete. */
export const PBX_NATIONAL_NUMBER_COUNTRIES: readonly string[] = Object.keys(PLANS);

/**
 * A caller id from a PBX as E.164, or undefined when it is not a phone number: an internal
 * extension (`8007`), `anonymous`, `<unknown>`, or a national number of a country without a plan.
 * `+…` and `00…` numbers need no country; national numbers (`(415) 555-1212`, `030 1234567`) and
 * numbers with the country code but no `+` (`14155551212`, `4930…`) are read with `defaultCountry`.
 */
export function normalisePbxPhone(
  raw: string | undefined,
  defaultCountry: string | undefined,
): string | undefined {
  if (raw === undefined) return undefined;
  const compact = raw.trim().replace(/[\s\-.()/]/g, '');
  if (compact.startsWith('+') || compact.startsWith('00')) return normaliseE164(compact);
  const plan = planOf(defaultCountry);
  if (plan === undefined || !/^\d+$/.test(compact)) return undefined;
  const prefix = plan.internationalPrefix;
  if (prefix !== undefined && compact.startsWith(prefix)) {
    return normaliseE164(`+${compact.slice(prefix.length)}`);
  }
  const national = plan.national.exec(compact);
  if (national !== null) return normaliseE164(`+${plan.countryCode}${national[1]}`);
  return plan.withCountryCode.test(compact) ? normaliseE164(`+${compact}`) : undefined;
}

function planOf(country: string | undefined): NumberingPlan | undefined {
  const code = country?.trim().toUpperCase();
  return code !== undefined && Object.hasOwn(PLANS, code) ? PLANS[code] : undefined;
}
