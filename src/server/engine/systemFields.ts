/**
 * Fields Affinity fills itself. Affinity has no field-level "writable" flag (FieldMetadata carries none in the
 * 2026-09-17 digest, ../shared/affinity/v2-2026-09-17-digest.json), and some system fields come back with a type and
 * value type that look editable: `created-at` ("Date Added", a list field of type datetime), `time-in-current-status`,
 * `lists`, `notes`, `reminders`. The rule (Affinity's "Field Types and IDs": list and global fields people create have
 * ids `field-<number>`; enriched ones `<source>-<name>`; relationship-intelligence and system ones a slug): only a
 * `field-<number>` id is a field people can change, so every other id is read-only whatever its types say. Pure.
 */

/** Ids of fields people create in Affinity (list and global fields). */
const USER_FIELD_ID = /^field-\d+$/;

/** Whether a field id is one Affinity fills itself (never offered for editing). */
export function isSystemField(id: string): boolean {
  return !USER_FIELD_ID.test(id);
}
