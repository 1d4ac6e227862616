/**
 * The deal-flow seed plus a small person list, "Founders" (one entry, Mateo, with a Role), for new person rows
 * found by email: `"seed": "dealflow+founders"` in a scenario (docs/simulator.md), and test/e2e/newRows.test.ts.
 */
import type { EmulatorSeed } from '../seed';
import { dealflowSeed } from './dealflow';

export const FOUNDERS_LIST = { listId: 7100, viewId: 9100, role: 'field-701', mateo: 602 } as const;

export function foundersSeed(): EmulatorSeed {
  const s = dealflowSeed();
  const createdAt = '2026-01-01T00:00:00.000Z';
  const { listId, viewId, role } = FOUNDERS_LIST;
  s.lists.push({
    id: listId,
    name: 'Founders',
    type: 'person',
    isPublic: true,
    ownerId: 501,
    creatorId: 501,
    createdAt,
  });
  const roleField = {
    id: role,
    name: 'Role',
    type: 'list' as const,
    enrichmentSource: null,
    valueType: 'text' as const,
  };
  s.fields[listId] = [{ ...roleField, createdAt, description: null, isRequired: false }];
  const mateo = s.persons!.find((p) => p.id === FOUNDERS_LIST.mateo)!;
  s.entries[listId] = [
    {
      id: 71001,
      listId,
      type: 'person',
      createdAt,
      creatorId: 501,
      entity: {
        id: mateo.id,
        firstName: mateo.firstName!,
        lastName: mateo.lastName,
        primaryEmailAddress: mateo.primaryEmailAddress,
        emailAddresses: mateo.primaryEmailAddress ? [mateo.primaryEmailAddress] : [],
        type: 'external',
        fields: [{ ...roleField, value: { type: 'text', data: 'CTO' } }],
      },
    },
  ];
  s.savedViews[listId] = [
    { id: viewId, name: 'All Founders', type: 'sheet', createdAt, entryIds: [71001], fieldIds: [role] },
  ];
  return s;
}
