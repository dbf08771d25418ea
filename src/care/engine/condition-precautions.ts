import type { ClientCondition, ConditionCode } from './client-conditions.js';
import { regionRefLabel } from '../../domain/region-label.js';

/**
 * What a client with a condition should keep in mind at home, for the aftercare's "Take care" section. The
 * reference's rows are about the therapist's hands; these apply the same caution to self-care. Heat, baths and
 * drinking are adjusted in their own items (aftercare-self-care.ts), so they are not repeated here.
 * `{where}` becomes the affected regions the intake named, in brackets, or nothing when it named none.
 */
interface Precaution {
  text: string;
  why: string;
  sources: readonly string[];
}

export const CONDITION_PRECAUTIONS: Partial<Record<ConditionCode, Precaution>> = {
  dvt_history: {
    text: 'Keep any self-massage on your legs light, and do not foam roll your legs.',
    why: 'After a blood clot, only light pressure is used on the legs.',
    sources: ['WALT', 'UCLH'],
  },
  anticoagulants: {
    text: 'Use only gentle self-massage: no foam rollers or massage balls. You may bruise more easily; tell your doctor about large, painful or unexplained bruises.',
    why: 'Blood thinners and bleeding disorders rule out deep pressure and raise the risk of bruising.',
    sources: ['NCCIH', 'MSD', 'MAYO'],
  },
  osteoporosis: {
    text: 'Do not foam roll over your spine or ribs, and avoid stretches that round your back.',
    why: 'Fragile bone takes only light pressure.',
    sources: ['W-Ost', 'WRN-OST', 'MSD'],
  },
  acute_injury: {
    text: 'Rest the injured area{where}: no stretching, rolling or heat on it for the first few days.',
    why: 'An acute injury is left alone until it is no longer acute.',
    sources: ['W-Sprain', 'W-Strain'],
  },
  herniated_disc: {
    text: 'Do not foam roll along your spine, and watch for the warning signs below: new numbness, pain spreading down a leg or arm, numbness between the legs, or bladder trouble.',
    why: 'A herniated disc rules out deep pressure on the spine; nerve symptoms need checking.',
    sources: ['W-Disc', 'YIN14', 'AHCPR'],
  },
  rheumatoid_arthritis: {
    text: 'Do not stretch or roll joints that are painful or swollen{where}. If a flare starts, rest and contact your doctor.',
    why: 'Affected joints are avoided, and no massage during a flare.',
    sources: ['W-RA', 'HUM'],
  },
  osteoarthritis: {
    text: 'Do not stretch or roll a joint that is hot, swollen or acutely painful{where}.',
    why: 'An acutely inflamed joint is avoided.',
    sources: ['W-OA'],
  },
  varicose_veins: {
    text: 'Do not foam roll or press on your varicose veins or the affected leg{where}.',
    why: 'Varicose veins are not pressed; severe ones rule out the area and below it.',
    sources: ['W-Var'],
  },
  recent_surgery: {
    text: 'Keep away from your surgical site{where}: no rolling, stretching that pulls on it, or heat there until your surgeon says so. Clots are more likely after surgery: know the warning signs below.',
    why: 'The surgical site is avoided until cleared, and surgery raises the risk of a clot.',
    sources: ['NCCIH', 'MSU', 'UCLH'],
  },
  cancer: {
    text: 'Only use self-massage or foam rolling your oncology team has agreed to, and never over a tumour site, a port, or an area at risk of lymphoedema.',
    why: "Deep pressure needs the oncologist's clearance, and tumour and metastasis sites are never pressed.",
    sources: ['NCCIH', 'MSD', 'WALT'],
  },
  diabetes_neuropathy: {
    text: 'Check your feet every day for marks, blisters or redness you may not feel.',
    why: 'Reduced sensation means pressure and heat cannot be judged there.',
    sources: ['WRN-DM', 'CEI'],
  },
  fibromyalgia: {
    text: 'Soreness after a session can feel stronger for you. Keep stretches short and gentle, rest, and skip foam rolling.',
    why: 'Fibromyalgia makes tissue pain-sensitive; pressure is capped.',
    sources: ['W-FM'],
  },
  pregnancy: {
    text: 'Do your stretches standing, seated or lying on your side, not face down or flat on your back, and keep any self-massage on your legs light.',
    why: 'Side-lying is preferred after about 13 weeks, and pregnancy raises the risk of clots in the legs.',
    sources: ['MG21', 'OSB', 'UCLH'],
  },
  open_wound: {
    text: 'Keep the wound{where} clean and dry; no soaking, rolling or stretching over it until it has healed.',
    why: 'An open wound is avoided until healed.',
    sources: ['W-Open'],
  },
  skin_infection: {
    text: "Do not touch, roll or soak the affected skin{where}; follow your doctor's treatment.",
    why: 'Infected skin is avoided.',
    sources: ['HUM'],
  },
};

/** The precaution for one condition, with its regions filled in; undefined when it has none. */
export function precautionFor(condition: ClientCondition): (Precaution & { code: ConditionCode }) | undefined {
  const precaution = CONDITION_PRECAUTIONS[condition.code];
  if (!precaution) return undefined;
  const named = 'regions' in condition && condition.regions ? condition.regions : [];
  const where = named.length > 0 ? ` (${named.map((ref) => regionRefLabel(ref).toLowerCase()).join('; ')})` : '';
  return { ...precaution, code: condition.code, text: precaution.text.replace('{where}', where) };
}
