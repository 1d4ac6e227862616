/** Hand-built Affinity v2 bodies, shaped per the spec subset (the product's view of Affinity). */

export const pagination = (nextUrl: string | null = null) => ({ nextUrl, prevUrl: null });

export const listsPage = {
  data: [
    {
      id: 101,
      name: 'Deal pipeline',
      type: 'company',
      isPublic: true,
      ownerId: 7,
      creatorId: 7,
      createdAt: '2024-03-01T10:00:00Z',
    },
    {
      id: 102,
      name: 'Founders',
      type: 'person',
      isPublic: false,
      ownerId: 7,
      creatorId: 8,
      createdAt: '2024-04-01T10:00:00Z',
    },
  ],
  pagination: pagination('https://api.affinity.co/v2/lists?cursor=abc'),
};

const person = {
  id: 55,
  firstName: 'Ada',
  lastName: 'Lovelace',
  primaryEmailAddress: 'ada@example.com',
  type: 'internal',
};

/** A company list entry whose fields hold values of several types. */
export function companyEntry(id: number) {
  return {
    id,
    listId: 101,
    type: 'company',
    createdAt: '2024-05-01T09:30:00Z',
    creatorId: 7,
    entity: {
      id: 9000 + id,
      name: `Company ${id}`,
      domain: `c${id}.example.com`,
      domains: [`c${id}.example.com`],
      isGlobal: false,
      fields: [
        {
          id: 'field-1',
          name: 'Stage',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'dropdown', data: { dropdownOptionId: 3, text: 'Won' } },
        },
        {
          id: 'field-2',
          name: 'Tags',
          type: 'list',
          enrichmentSource: null,
          value: {
            type: 'dropdown-multi',
            data: [
              { dropdownOptionId: 4, text: 'AI' },
              { dropdownOptionId: 5, text: 'SaaS' },
            ],
          },
        },
        {
          id: 'field-3',
          name: 'Priority',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'ranked-dropdown', data: { dropdownOptionId: 6, text: 'High', rank: 1, color: 'red' } },
        },
        {
          id: 'field-4',
          name: 'Amount',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'number', data: 1250000.5 },
        },
        {
          id: 'field-5',
          name: 'Notes',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'text', data: 'met at conf' },
        },
        {
          id: 'field-6',
          name: 'Close date',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'datetime', data: '2024-06-30T00:00:00Z' },
        },
        { id: 'field-7', name: 'Owner', type: 'list', enrichmentSource: null, value: { type: 'person', data: person } },
        {
          id: 'field-8',
          name: 'Co-investors',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'company-multi', data: [{ id: 1, name: 'Fund A', domain: null }] },
        },
        {
          id: 'affinity-data-location',
          name: 'Location',
          type: 'enriched',
          enrichmentSource: 'affinity-data',
          value: {
            type: 'location',
            data: { city: 'Paris', state: null, country: 'France', continent: 'Europe', streetAddress: null },
          },
        },
        {
          id: 'field-10',
          name: 'Score',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'formula-number', data: { calculatedValue: 42 } },
        },
        {
          id: 'first-email',
          name: 'First email',
          type: 'relationship-intelligence',
          enrichmentSource: null,
          value: { type: 'interaction', data: null, internalPerson: null },
        },
        {
          id: 'field-12',
          name: 'Industries',
          type: 'global',
          enrichmentSource: null,
          value: { type: 'filterable-text-multi', data: ['Fintech'] },
        },
        {
          id: 'field-13',
          name: 'Empty number',
          type: 'list',
          enrichmentSource: null,
          value: { type: 'number', data: null },
        },
      ],
    },
  };
}

export const entriesPage = (from = 1, n = 3) => ({
  data: Array.from({ length: n }, (_, i) => companyEntry(from + i)),
  pagination: pagination(null),
});

export const whoAmI = {
  tenant: { id: 1, name: 'Acme Ventures', subdomain: 'acme' },
  user: { id: 7, firstName: 'Grace', lastName: null, emailAddress: 'grace@acme.example' },
  grant: { type: 'api-key', scopes: ['api'], createdAt: '2024-01-01T00:00:00Z' },
};

export const fieldsPage = {
  data: [
    {
      id: 'field-1',
      name: 'Stage',
      type: 'list',
      valueType: 'dropdown',
      enrichmentSource: null,
      isRequired: false,
      createdAt: '2024-01-01T00:00:00Z',
      description: null,
    },
    {
      id: 'field-4',
      name: 'Amount',
      type: 'list',
      valueType: 'number',
      enrichmentSource: null,
      isRequired: true,
      createdAt: null,
      description: null,
    },
    {
      id: 'affinity-data-location',
      name: 'Location',
      type: 'enriched',
      valueType: 'location',
      enrichmentSource: 'affinity-data',
      isRequired: false,
      createdAt: null,
      description: null,
      sortability: { sortableFieldType: 'field-only' },
    },
  ],
  pagination: pagination(),
};

export const dropdownOptionsPage = {
  data: [
    { id: 3, text: 'Won', type: 'dropdown' },
    { id: 6, text: 'High', type: 'ranked-dropdown', rank: 1, color: 'red' },
    { id: 9, text: 'Closed', type: 'status-dropdown', rank: 2, color: null, statusCategory: 'won', winRate: 100 },
  ],
  pagination: pagination(),
};

export const savedViewsPage = {
  data: [
    { id: 11, name: 'All', type: 'sheet', createdAt: '2024-02-01T00:00:00Z' },
    { id: 12, name: 'Board', type: 'board', createdAt: '2024-02-02T00:00:00Z' },
  ],
  pagination: pagination(),
};

export const updateFieldsRequest = {
  operation: 'update-fields',
  updates: [
    { id: 'field-1', value: { type: 'dropdown', data: { dropdownOptionId: 3 } } },
    { id: 'field-2', value: { type: 'dropdown-multi', data: [{ dropdownOptionId: 4 }] } },
    { id: 'field-3', value: { type: 'ranked-dropdown', data: { dropdownOptionId: 6 } } },
    { id: 'field-4', value: { type: 'number', data: 12 } },
    { id: 'field-5', value: { type: 'text', data: 'hello' } },
    { id: 'field-6', value: { type: 'datetime', data: null } },
    { id: 'field-7', value: { type: 'person', data: { id: 55 } } },
    { id: 'field-8', value: { type: 'company-multi', data: [{ id: 1 }] } },
  ],
};

export const updateFieldsResponse = { operation: 'update-fields' };

export const errorBodies = {
  notFound: { errors: [{ code: 'not-found', message: 'List not found' }] },
  validation: { errors: [{ code: 'validation', message: 'must be at most 100', param: 'limit' }] },
  rateLimit: { errors: [{ code: 'rate-limit', message: 'slow down' }] },
  server: { errors: [{ code: 'server', message: 'oops' }] },
};
