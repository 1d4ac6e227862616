/**
 * Affinity › Check this spreadsheet: the Google behaviours the harness models, checked in the real spreadsheet
 * (gas/selfCheck.ts probes them), judged and worded here. Pure.
 */

export type SelfCheckStatus = 'confirmed' | 'differs' | 'could not check';

export interface SelfCheckRow {
  id: string;
  /** What the product (and the harness) assume, in words. */
  assumption: string;
  status: SelfCheckStatus;
  /** What was seen. */
  detail: string;
}

/** Most triggers one user may have in one script (Apps Script quotas). */
export const TRIGGER_LIMIT = 20;
/** Largest property value, in UTF-8 bytes (Apps Script quotas: 9 KB per value). */
export const PROPERTY_VALUE_BYTES = 9 * 1024;

export function plainTextRow(plainCell: unknown, otherCell: unknown): SelfCheckRow {
  const ok = plainCell === "'x" && otherCell === 'x';
  return {
    id: 'plain-text-apostrophe',
    assumption:
      'a leading apostrophe written into a Plain-text (@) cell stays part of the value; in any other cell it is hidden',
    status: ok ? 'confirmed' : 'differs',
    detail: `'x written: a Plain-text cell reads ${JSON.stringify(plainCell)}, another cell ${JSON.stringify(otherCell)}`,
  };
}

export function activeUserRow(email: string | null): SelfCheckRow {
  const assumption = 'the active user’s email is known in a menu run (scope userinfo.email)';
  if (email === null)
    return { id: 'active-user-email', assumption, status: 'could not check', detail: 'Session could not be read' };
  return {
    id: 'active-user-email',
    assumption,
    status: email ? 'confirmed' : 'differs',
    detail: email ? 'the email is available' : 'Session.getActiveUser().getEmail() is empty',
  };
}

/**
 * @param before the user's triggers in this script before the check
 * @param created how many temporary triggers were created before one was refused (or all were)
 * @param refused whether the last attempt was refused
 */
export function triggerLimitRow(before: number, created: number, refused: boolean): SelfCheckRow {
  const assumption = `one user may have at most ${TRIGGER_LIMIT} triggers in this script`;
  if (before >= TRIGGER_LIMIT)
    return {
      id: 'trigger-limit',
      assumption,
      status: 'could not check',
      detail: `you already have ${before} triggers here; none could be added to test the limit`,
    };
  const total = before + created;
  return {
    id: 'trigger-limit',
    assumption,
    status: refused && total === TRIGGER_LIMIT ? 'confirmed' : 'differs',
    detail: refused
      ? `the trigger after ${total} was refused`
      : `${total} triggers were accepted (temporary ones, all removed)`,
  };
}

export function propertySizeRow(fitAccepted: boolean, overRefused: boolean): SelfCheckRow {
  return {
    id: 'property-size',
    assumption: `a property value may hold ${PROPERTY_VALUE_BYTES} UTF-8 bytes, not more (3 bytes per € sign)`,
    status: fitAccepted && overRefused ? 'confirmed' : 'differs',
    detail: `${PROPERTY_VALUE_BYTES / 3} € signs ${fitAccepted ? 'accepted' : 'refused'}, one more ${overRefused ? 'refused' : 'accepted'}`,
  };
}

export function failedRow(id: string, assumption: string, error: string): SelfCheckRow {
  return { id, assumption, status: 'could not check', detail: error };
}

const MARK: Record<SelfCheckStatus, string> = { confirmed: '✓', differs: '✗', 'could not check': '?' };

/** The dialog's text: one paragraph per check, then the counts. Plain text, never HTML. */
export function selfCheckText(rows: readonly SelfCheckRow[]): string {
  const count = (s: SelfCheckStatus) => rows.filter((r) => r.status === s).length;
  const lines = rows.map((r) => `${MARK[r.status]} ${r.status.toUpperCase()}: ${r.assumption}.\n    ${r.detail}.`);
  lines.push(
    '',
    `${count('confirmed')} confirmed, ${count('differs')} differ, ${count('could not check')} could not be checked. ` +
      'Nothing of yours was changed: a hidden sheet, properties and triggers made for the check were removed.',
  );
  return lines.join('\n');
}
