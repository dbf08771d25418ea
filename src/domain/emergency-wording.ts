/**
 * How Knotwork tells someone to get emergency help, in every place that does (the consultation's red-flag answers,
 * a refused booking, the brief, the check-in after a session): the same numbers everywhere. Chest pain and sudden
 * breathlessness [UCLH, PE24] and saddle numbness, new bladder problems or leg weakness [AHCPR] are emergencies
 * (clinical reference, section 5).
 */
export const EMERGENCY_NUMBERS = '911 in the US and Canada, 999 in the UK, 112 in the EU';

/** The instruction itself, with the numbers. */
export const CALL_EMERGENCY_NOW = `Call your local emergency number now (${EMERGENCY_NUMBERS}).`;
