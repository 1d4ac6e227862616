/**
 * A realistic bundled seed: a venture firm's deal-flow list of 25 companies (used by `npm start`, demos and
 * end-to-end tests). All names are fictional.
 */
import type {
  CompanyData,
  DropdownOption,
  Field,
  FieldKind,
  FieldMetadata,
  FieldValue,
  ListEntryWithEntity,
  Location,
  PersonData,
  ValueType,
} from '../../../src/server/affinity/types';
import { pacificMidnight } from '../pacific';
import type { EmulatorSeed } from '../seed';

export const DEALFLOW = {
  apiKey: 'demo-key-0001',
  nango: { secretKey: 'demo-nango-secret', providerConfigKey: 'affinity', connectionId: 'demo-connection' },
  listId: 7001,
  views: { activePipeline: 9001, allDeals: 9002, pipelineBoard: 9003, partnerDashboard: 9004 },
  fields: {
    stage: 'field-101',
    owner: 'field-102',
    round: 'field-103',
    amount: 'field-104',
    valuation: 'field-105',
    nextStepDate: 'field-106',
    lastMeeting: 'last-event',
    tags: 'field-107',
    sector: 'field-108',
    hq: 'field-109',
    description: 'field-110',
    coInvestors: 'field-111',
    score: 'field-112',
  },
} as const;

const F = DEALFLOW.fields;
const FIELD_DEFS: [string, string, FieldKind, ValueType][] = [
  [F.stage, 'Stage', 'list', 'ranked-dropdown'],
  [F.owner, 'Owner', 'list', 'person'],
  [F.round, 'Round', 'list', 'dropdown'],
  [F.amount, 'Amount', 'list', 'number'],
  [F.valuation, 'Valuation', 'list', 'number'],
  [F.nextStepDate, 'Next Step Date', 'list', 'datetime'],
  [F.lastMeeting, 'Last Meeting', 'relationship-intelligence', 'interaction'],
  [F.tags, 'Tags', 'list', 'dropdown-multi'],
  [F.sector, 'Sector', 'list', 'dropdown'],
  [F.hq, 'HQ', 'list', 'location'],
  [F.description, 'Description', 'list', 'text'],
  [F.coInvestors, 'Co-investors', 'list', 'company-multi'],
  [F.score, 'Score', 'list', 'formula-number'],
];

const STAGES = ['Sourced', 'First Meeting', 'Diligence', 'IC Review', 'Term Sheet', 'Closed', 'Passed'];
const STAGE_COLORS = ['gray', 'blue', 'purple', 'orange', 'green', 'green', 'red'] as const;
const ROUNDS = ['Pre-Seed', 'Seed', 'Series A', 'Series B', 'Series C', 'Growth'];
const TAGS = ['Warm Intro', 'Repeat Founder', 'Hot', 'AI', 'Climate', 'B2B', 'Consumer', 'Follow-on'];
const SECTORS = ['Fintech', 'Climate', 'Healthcare', 'Dev Tools', 'AI/ML', 'Consumer', 'Enterprise SaaS', 'Robotics'];

const TEAM: PersonData[] = [
  { id: 501, firstName: 'Ada', lastName: 'Lovelace', primaryEmailAddress: 'ada@analytical.vc', type: 'internal' },
  { id: 502, firstName: 'Charles', lastName: 'Babbage', primaryEmailAddress: 'charles@analytical.vc', type: 'internal' },
  { id: 503, firstName: 'Mary', lastName: 'Somerville', primaryEmailAddress: 'mary@analytical.vc', type: 'internal' },
  { id: 504, firstName: 'Luigi', lastName: 'Menabrea', primaryEmailAddress: 'luigi@analytical.vc', type: 'internal' },
];
const FOUNDERS: PersonData[] = [
  { id: 601, firstName: 'Grace', lastName: 'Okonkwo', primaryEmailAddress: 'grace@ledgerleaf.io', type: 'external' },
  { id: 602, firstName: 'Mateo', lastName: 'Fernández', primaryEmailAddress: 'mateo@solaris-grid.com', type: 'external' },
  { id: 603, firstName: 'Yuki', lastName: 'Tanaka', primaryEmailAddress: 'yuki@kairo.ai', type: 'external' },
  { id: 604, firstName: 'Amara', lastName: 'Haddad', primaryEmailAddress: null, type: 'external' },
];
const INVESTORS: CompanyData[] = [
  ['Northwind Ventures', 'northwind.vc'],
  ['Blue Harbor Capital', 'blueharbor.capital'],
  ['Granite Peak Partners', 'granitepeak.com'],
  ['Lumen Seed Fund', 'lumenseed.fund'],
  ['Meridian Growth', 'meridiangrowth.com'],
  ['Fjord Capital', 'fjord.vc'],
  ['Kestrel & Co', null],
  ['Tidewater Angels', 'tidewater.angels'],
].map(([name, domain], i) => ({ id: 8001 + i, name: name as string, domain }));

const CITIES: Record<string, Location> = {
  sf: { streetAddress: null, city: 'San Francisco', state: 'California', country: 'United States', continent: 'North America' },
  ny: { streetAddress: '85 Broad St', city: 'New York', state: 'New York', country: 'United States', continent: 'North America' },
  ber: { streetAddress: null, city: 'Berlin', state: null, country: 'Germany', continent: 'Europe' },
  ldn: { streetAddress: null, city: 'London', state: 'England', country: 'United Kingdom', continent: 'Europe' },
  aus: { streetAddress: null, city: 'Austin', state: 'Texas', country: 'United States', continent: 'North America' },
  tor: { streetAddress: null, city: 'Toronto', state: 'Ontario', country: 'Canada', continent: 'North America' },
  sp: { streetAddress: null, city: 'São Paulo', state: 'São Paulo', country: 'Brazil', continent: 'South America' },
  tlv: { streetAddress: null, city: 'Tel Aviv', state: null, country: 'Israel', continent: 'Asia' },
};

/** name, domain, stage, owner, round, amount $M, valuation $M, next step date, tags, sector, HQ, description, co-investors, score, last meeting (days before 2026-11-20) */
type Row = [string, string | null, number, number, number, number | null, number | null, string | null, number[], number, keyof typeof CITIES, string, number[], number | null, number | null];
const ROWS: Row[] = [
  ['LedgerLeaf', 'ledgerleaf.io', 2, 0, 2, 12, 60, '2026-12-03', [0, 5], 0, 'ny', 'Accounts-payable automation for mid-market finance teams.', [0, 3], 78.5, 6],
  ['Solaris Grid', 'solaris-grid.com', 3, 1, 2, 15, 75, '2026-11-25', [4, 5], 1, 'aus', 'Software for community solar: billing, allocation, compliance.', [1], 82, 2],
  ['Kairo AI', 'kairo.ai', 4, 0, 1, 4, 22, '2026-11-24', [2, 3, 1], 4, 'sf', 'Agents that reconcile supply-chain documents end to end.', [3, 5], 91.25, 1],
  ['Medina Health', 'medina.health', 1, 2, 1, 3, 15, '2026-12-10', [0], 2, 'ldn', 'Remote cardiac rehab with clinician dashboards.', [], 64, 14],
  ['Brightforge', 'brightforge.dev', 0, 3, 0, 1.5, 8, null, [5], 3, 'ber', 'CI cache that cuts monorepo build times in half.', [], null, null],
  ['Quanta Robotics', 'quanta-robotics.com', 2, 1, 3, 30, 180, '2026-12-01', [6, 7], 7, 'tor', 'Autonomous mobile robots for mid-size warehouses.', [2, 4], 73, 9],
  ['Verdant Loop', 'verdantloop.earth', 5, 2, 1, 5, 25, null, [4, 7], 1, 'ber', 'Textile recycling marketplace for brands.', [1, 6], 88, 45],
  ['Harbor Ledger', 'harborledger.com', 6, 3, 2, 10, 50, null, [5], 0, 'ny', 'Treasury tooling for community banks; passed on CAC.', [0], 41, 60],
  ['Nimbus Notes', 'nimbusnotes.app', 0, 0, 0, 0.75, 5, '2027-01-15', [6], 5, 'sf', 'Collaborative notes for families.', [], null, null],
  ['Polaris Pay', 'polarispay.com.br', 1, 1, 2, 8, 40, '2026-11-30', [0, 5], 0, 'sp', 'Instant B2B payouts over Pix.', [7], 70, 20],
  ['Cedar Clinical', 'cedarclinical.com', 3, 2, 3, 25, 140, '2026-11-23', [1, 5], 2, 'aus', 'Trial-site software; second-time founders.', [2, 4], 85.5, 3],
  ['Aster Security', 'astersec.io', 2, 3, 2, 14, 70, '2026-12-08', [3, 5], 6, 'tlv', 'Runtime protection for LLM applications.', [5], 79, 8],
  ['Mosaic Learning', null, 6, 0, 1, 2, 10, null, [6], 5, 'ldn', 'Tutoring marketplace; passed on retention.', [], 38, 90],
  ['Helio Freight', 'heliofreight.com', 1, 1, 3, 20, 110, '2026-12-14', [4, 7], 7, 'tor', 'Electric middle-mile trucking network.', [4], 66, 25],
  ['Tessellate', 'tessellate.dev', 4, 2, 1, 6, 30, '2026-11-26', [2, 3], 3, 'sf', 'Query engine for observability data lakes.', [3], 89, 1],
  ['Orchard Bio', 'orchard.bio', 0, 3, 0, null, null, '2027-01-08', [], 2, 'ber', 'Plant-based enzyme manufacturing.', [], null, null],
  ['Riverstone Insure', 'riverstone-insure.com', 2, 0, 2, 11, 55, '2026-12-02', [5], 0, 'ny', 'Embedded commercial insurance for SMB platforms.', [0, 1], 74, 11],
  ['Lattice Energy', 'lattice.energy', 3, 1, 3, 28, 160, '2026-11-27', [4, 1], 1, 'aus', 'Grid-scale storage dispatch software.', [2], 86, 4],
  ['Pico Fabrication', 'picofab.co', 5, 2, 2, 9, 45, null, [6, 7], 7, 'tor', 'Desktop PCB assembly robots.', [5, 6], 80, 120],
  ['Sable Analytics', 'sable-analytics.com', 1, 3, 1, 3.5, 18, '2026-12-05', [3], 4, 'ldn', 'Forecasting for retail pricing teams.', [], 61, 18],
  ['Wren Home', 'wrenhome.com', 0, 0, 0, 1, 6, null, [6, 0], 5, 'sp', 'Home-maintenance subscriptions.', [], null, 30],
  ['Quill Legal', 'quill.legal', 4, 1, 2, 13, 65, '2026-11-24', [3, 5, 1], 6, 'ny', 'Contract review copilot for in-house teams.', [0, 3], 90, 2],
  ['Fathom Ocean', 'fathomocean.io', 2, 2, 1, 4.5, 20, '2026-12-12', [4], 1, 'tlv', 'Ocean-sensor network for aquaculture.', [7], 69, 13],
  ['Beacon Dev', 'beacondev.io', 6, 3, 1, 2.5, 12, null, [5], 3, 'ber', 'Feature-flag platform; passed: crowded market.', [], 35, 75],
  ['Juniper Care', 'junipercare.com', 3, 0, 2, 16, 80, '2026-12-04', [0, 1], 2, 'sf', 'Home-care staffing with clinical QA.', [1, 4], 84, 5],
];

export function dealflowSeed(): EmulatorSeed {
  const { listId } = DEALFLOW;
  const createdAt = '2025-03-02T17:00:00.000Z';
  const fields: FieldMetadata[] = FIELD_DEFS.map(([id, name, type, valueType]) => ({
    id,
    name,
    type,
    enrichmentSource: null,
    valueType,
    createdAt: type === 'list' ? createdAt : null,
    description: null,
    isRequired: id === F.stage,
  }));
  const options = (start: number, texts: string[], ranked = false): DropdownOption[] =>
    texts.map((text, i) =>
      ranked ? { type: 'ranked-dropdown', id: start + i, text, rank: i + 1, color: STAGE_COLORS[i] } : { type: 'dropdown', id: start + i, text },
    );
  const dropdownOptions: Record<string, DropdownOption[]> = {
    [F.stage]: options(1101, STAGES, true),
    [F.round]: options(1201, ROUNDS),
    [F.tags]: options(1301, TAGS),
    [F.sector]: options(1401, SECTORS),
  };
  const pick = (fieldId: string, i: number) => {
    const o = dropdownOptions[fieldId][i];
    return o.type === 'ranked-dropdown' ? { dropdownOptionId: o.id, text: o.text, rank: o.rank, color: o.color } : { dropdownOptionId: o.id, text: o.text };
  };
  const now = Date.UTC(2026, 10, 20, 18);

  const entries: ListEntryWithEntity[] = ROWS.map((row, i) => {
    const [name, domain, stage, owner, round, amount, valuation, next, tags, sector, hq, description, coInvestors, score, metDaysAgo] = row;
    const founder = FOUNDERS[i % FOUNDERS.length];
    const meetingStart = metDaysAgo === null ? null : new Date(now - metDaysAgo * 86_400_000).toISOString();
    const values: Record<string, FieldValue> = {
      [F.stage]: { type: 'ranked-dropdown', data: pick(F.stage, stage) as never },
      [F.owner]: { type: 'person', data: TEAM[owner] },
      [F.round]: { type: 'dropdown', data: pick(F.round, round) },
      [F.amount]: { type: 'number', data: amount === null ? null : amount * 1_000_000 },
      [F.valuation]: { type: 'number', data: valuation === null ? null : valuation * 1_000_000 },
      [F.nextStepDate]: { type: 'datetime', data: next && pacificMidnight(next) },
      [F.lastMeeting]: {
        type: 'interaction',
        data: meetingStart === null ? null : {
          type: 'meeting',
          id: 40001 + i,
          startTime: meetingStart,
          endTime: new Date(Date.parse(meetingStart) + 45 * 60_000).toISOString(),
          allDay: false,
          title: `${name} <> Analytical Ventures`,
          attendees: [
            { emailAddress: TEAM[owner].primaryEmailAddress, person: TEAM[owner] },
            { emailAddress: founder.primaryEmailAddress, person: founder },
          ],
        },
        internalPerson: meetingStart ? TEAM[owner] : null,
      },
      [F.tags]: { type: 'dropdown-multi', data: tags.length ? tags.map((t) => pick(F.tags, t)) : null },
      [F.sector]: { type: 'dropdown', data: pick(F.sector, sector) },
      [F.hq]: { type: 'location', data: CITIES[hq] },
      [F.description]: { type: 'text', data: description },
      [F.coInvestors]: { type: 'company-multi', data: coInvestors.length ? coInvestors.map((c) => INVESTORS[c]) : null },
      [F.score]: { type: 'formula-number', data: { calculatedValue: score } },
    };
    const entityFields: Field[] = fields.map((m) => ({ id: m.id, name: m.name, type: m.type, enrichmentSource: null, value: values[m.id] }));
    return {
      id: 20001 + i,
      listId,
      type: 'company',
      createdAt: new Date(Date.UTC(2025, 3, 1) + i * 6 * 86_400_000).toISOString(),
      creatorId: TEAM[i % TEAM.length].id,
      entity: { id: 30001 + i, name, domain, domains: domain ? [domain] : [], isGlobal: false, fields: entityFields },
    };
  });

  const active = entries.filter((_, i) => ROWS[i][2] < 5).map((e) => e.id);
  const allIds = entries.map((e) => e.id);
  const allFields = fields.map((f) => f.id);
  const activeFields = [F.stage, F.owner, F.round, F.amount, F.nextStepDate, F.lastMeeting, F.tags, F.sector, F.hq, F.description, F.coInvestors];

  return {
    users: [
      {
        apiKey: DEALFLOW.apiKey,
        whoami: {
          tenant: { id: 4242, name: 'Analytical Ventures', subdomain: 'analytical-ventures' },
          user: { id: 501, firstName: 'Ada', lastName: 'Lovelace', emailAddress: 'ada@analytical.vc' },
          grant: { type: 'api-key', scopes: ['api'], createdAt: '2026-01-12T09:30:00.000Z' },
        },
      },
    ],
    nango: [{ ...DEALFLOW.nango, apiKey: DEALFLOW.apiKey }],
    lists: [{ id: listId, name: 'Deal Flow', type: 'company', isPublic: true, ownerId: 501, creatorId: 501, createdAt }],
    fields: { [listId]: fields },
    dropdownOptions,
    entries: { [listId]: entries },
    savedViews: {
      [listId]: [
        { id: DEALFLOW.views.activePipeline, name: 'Active Pipeline', type: 'sheet', createdAt, entryIds: active, fieldIds: activeFields },
        { id: DEALFLOW.views.allDeals, name: 'All Deals', type: 'sheet', createdAt, entryIds: allIds, fieldIds: allFields },
        { id: DEALFLOW.views.pipelineBoard, name: 'Pipeline Board', type: 'board', createdAt, entryIds: active, fieldIds: [F.stage] },
        { id: DEALFLOW.views.partnerDashboard, name: 'Partner Dashboard', type: 'dashboard', createdAt, entryIds: [], fieldIds: [] },
      ],
    },
    persons: [...TEAM, ...FOUNDERS],
    companies: [...INVESTORS, ...ROWS.map(([name, domain], i) => ({ id: 30001 + i, name, domain }))],
    mergedEntities: [{ type: 'company', id: 8999, mergedInto: 8001 }],
  };
}
