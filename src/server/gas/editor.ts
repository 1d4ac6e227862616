/**
 * Who is editing or pushing, as Apps Script tells (docs/sharing.md): a per-user key that does not reveal the user
 * (Session.getTemporaryActiveUserKey: unique per user and script, rotated every 30 days) and the email when Google
 * reveals it (Session.getActiveUser: empty when the user is outside the owner's domain in a simple trigger, and in
 * installable triggers).
 */
import type { Editor } from '../engine/attribution';

export function activeEditor(): Editor {
  let key = '';
  let email = '';
  try {
    key = Session.getTemporaryActiveUserKey() || '';
  } catch {
    key = '';
  }
  try {
    email = Session.getActiveUser().getEmail() || '';
  } catch {
    email = '';
  }
  return { key, email };
}
