/** What a push would do, as the Preview changes dialog shows it (plain data). Pure. */
import { NOTE_MARK } from '../layout';
import type { PreviewData } from '../../../shared/push';
import type { PushPlan } from './plan';

export function previewOf(plan: PushPlan): PreviewData {
  const out: PreviewData = {
    changes: [],
    conflicts: [],
    invalid: [],
    notSent: [],
    notSynced: [],
    alreadyInAffinity: 0,
  };
  for (const d of plan.decisions) {
    const who = { entryId: d.entryId, entity: d.entityName, field: d.fieldName };
    switch (d.status) {
      case 'send':
      case 'overwrite':
        out.changes.push({
          ...who,
          old: d.remote ?? d.base,
          new: d.local,
          overwrites: d.status === 'overwrite',
          ...(d.formula ? { formula: d.formula } : {}),
        });
        if (d.status === 'overwrite') {
          out.conflicts.push({
            ...who,
            columnId: d.columnId,
            base: d.base,
            mine: d.local,
            affinity: d.remote ?? '',
            outcome: 'mine',
          });
        }
        break;
      case 'conflict':
      case 'take-remote':
        out.conflicts.push({
          ...who,
          columnId: d.columnId,
          base: d.base,
          mine: d.local,
          affinity: d.remote ?? '',
          outcome: d.status === 'conflict' ? 'skip' : 'affinity',
        });
        break;
      case 'invalid':
        out.invalid.push({ ...who, value: d.local, reason: d.reason ?? '' });
        break;
      case 'read-only':
      case 'locked':
      case 'unreadable':
        out.notSent.push({ ...who, value: d.local, reason: d.reason ?? '' });
        break;
      case 'same':
        out.alreadyInAffinity++;
        break;
    }
  }
  out.notSynced = plan.unsynced.map((u) => ({ row: u.row + 2, reason: u.reason.slice(NOTE_MARK.length) }));
  return out;
}
