/**
 * Deterministic seed generator for load and robustness tests: one company list with `entries` rows over fields of
 * every value type, a small opportunity list with restricted entries, and sheet, board and dashboard views.
 *
 * Fast and lean at 100,000 rows: every cell picks from a per-field pool of shared, never-mutated Field objects (the
 * emulator copies on write), so memory is mostly the rows themselves.
 */
import type {
  Attendee,
  CompanyData,
  DropdownOption,
  Field,
  FieldKind,
  FieldMetadata,
  FieldValue,
  Interaction,
  ListEntryWithEntity,
  ListWithType,
  Location,
  PersonData,
  ValueType,
  WhoAmI,
} from '../../src/server/affinity/types';
import { affinityDatetime } from './pacific';
import type { EmulatorSeed, SeedView } from './seed';

export interface GenerateOptions {
  entries: number;
  /** PRNG seed; same options, same output. Default 1. */
  seed?: number;
  /** Fields in the main sheet view. Default 30 (every generated field). */
  fieldsInView?: number;
}

/** Ids and keys of what generateSeed produces. */
export const GENERATED = {
  apiKey: 'gen-key-0001',
  nango: { secretKey: 'nango-secret-gen', providerConfigKey: 'affinity', connectionId: 'gen-connection' },
  companyListId: 10001,
  opportunityListId: 10002,
  sheetViewId: 50001,
  boardViewId: 50002,
  dashboardViewId: 50003,
  recentViewId: 50004,
  opportunityViewId: 50005,
  firstEntryId: 1_000_001,
  /** Entries (by index) whose Description is over 50,000 characters. */
  hugeTextIndexes: (n: number) => [...new Set([1, Math.floor(n / 2), n - 2].filter((i) => i >= 0 && i < n))],
} as const;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'José',
  'Zoë',
  'Björn',
  'François',
  'Nguyễn',
  '李',
  'さくら',
  'Ολυμπία',
  'Дмитрий',
  'محمد',
  'דוד',
  'Renée',
  'Søren',
  'Łukasz',
  'Siobhán',
  'Mary-Jane',
  'Ngozi',
  'Aroha',
  'Priya',
];
const LAST = [
  'Lovelace',
  'García',
  'Smith, Jr.',
  'Müller',
  'Đặng',
  '王',
  '山田',
  'Παπαδόπουλος',
  'Иванов',
  'الحسن',
  'כהן',
  'Dupont; Fils',
  "O'Brien",
  'Okafor',
  '=Evil()',
  '+Plus',
  '-Minus',
  '@Handle',
  'Ngata',
  'Iyer',
];
const COMPANY_NAMES = [
  'Acme',
  'Société Générale',
  '株式会社テスト',
  'Ñandú Labs',
  'Widgets, Inc.',
  'Alpha; Beta & Co',
  'שלום Tech',
  'شركة الأمل',
  '🦄 Unicorn',
  '=HYPERLINK("http://evil","click")',
  '+1 Capital',
  '-Minus Ventures',
  '@Mention Corp',
  'Zürich Re',
  'Kraków Data',
  'Ω Omega',
  'Größe GmbH',
  'Café Ψ',
  '北京科技',
  'Ørsted-ish',
];
const SENTENCES = [
  'Series A SaaS company selling to mid-market finance teams.',
  'Café owner in Zürich; great founder-market fit — strong référence.',
  '深圳的硬件初创公司，专注于储能。',
  'שלום! Founder based in Tel Aviv, building dev tools.',
  'مؤسس في دبي يعمل على التكنولوجيا المالية',
  'Rocket emoji founder 🚀🔥 with a 🦄 pitch deck',
  '=HYPERLINK("http://evil","click me")',
  '=1+1',
  '+44 20 7946 0000',
  '-20% burn month over month',
  '@here please review',
  'Names: Smith, John; Doe, Jane',
  'Line one\nLine two\ttabbed',
  '"Quoted" text with \\backslashes\\',
  '',
];
const CITIES: Location[] = [
  {
    streetAddress: '1 Infinite Loop',
    city: 'Cupertino',
    state: 'California',
    country: 'United States',
    continent: 'North America',
  },
  { streetAddress: null, city: 'São Paulo', state: 'São Paulo', country: 'Brazil', continent: 'South America' },
  { streetAddress: 'Bahnhofstrasse 1', city: 'Zürich', state: null, country: 'Switzerland', continent: 'Europe' },
  { streetAddress: null, city: '東京', state: null, country: 'Japan', continent: 'Asia' },
  { streetAddress: null, city: 'Tel Aviv', state: null, country: 'Israel', continent: 'Asia' },
  { streetAddress: null, city: null, state: null, country: 'Nigeria', continent: 'Africa' },
  { streetAddress: '10 Downing St', city: 'London', state: 'England', country: 'United Kingdom', continent: 'Europe' },
  { streetAddress: null, city: 'Austin', state: 'Texas', country: 'United States', continent: 'North America' },
];
const COLORS = ['blue', 'green', 'purple', 'orange', 'red', 'gray', 'white', null] as const;

interface FieldSpec {
  id: string;
  name: string;
  kind: FieldKind;
  valueType: ValueType;
  source?: 'affinity-data' | 'dealroom';
  interaction?: Interaction['type'] | 'any';
}

/** The company list's fields, writable list fields first (a small `fieldsInView` keeps the useful ones). */
const COMPANY_FIELDS: FieldSpec[] = [
  { id: 'field-1001', name: 'Status', kind: 'list', valueType: 'ranked-dropdown' },
  { id: 'field-1002', name: 'Owner', kind: 'list', valueType: 'person' },
  { id: 'field-1003', name: 'Amount', kind: 'list', valueType: 'number' },
  { id: 'field-1004', name: 'Next Step Date', kind: 'list', valueType: 'datetime' },
  { id: 'field-1005', name: 'Description', kind: 'list', valueType: 'text' },
  { id: 'field-1006', name: 'Sector', kind: 'list', valueType: 'dropdown' },
  { id: 'field-1007', name: 'Tags', kind: 'list', valueType: 'dropdown-multi' },
  { id: 'field-1008', name: 'HQ', kind: 'list', valueType: 'location' },
  { id: 'field-1009', name: 'Lead Investor', kind: 'list', valueType: 'company' },
  { id: 'field-1010', name: 'Co-investors', kind: 'list', valueType: 'company-multi' },
  { id: 'field-1011', name: 'Deal Team', kind: 'list', valueType: 'person-multi' },
  { id: 'field-1012', name: 'Tranche Amounts', kind: 'list', valueType: 'number-multi' },
  { id: 'field-1013', name: 'Offices', kind: 'list', valueType: 'location-multi' },
  { id: 'field-1014', name: 'Source Notes', kind: 'list', valueType: 'text' },
  { id: 'field-1015', name: 'Score', kind: 'list', valueType: 'formula-number' },
  { id: 'field-2001', name: 'Industry', kind: 'global', valueType: 'dropdown' },
  { id: 'field-2002', name: 'Aliases', kind: 'global', valueType: 'filterable-text-multi' },
  { id: 'field-2003', name: 'Ticker', kind: 'global', valueType: 'filterable-text' },
  { id: 'lists', name: 'Lists', kind: 'global', valueType: 'list-multi' },
  { id: 'notes', name: 'Notes', kind: 'global', valueType: 'note' },
  { id: 'reminders', name: 'Reminders', kind: 'global', valueType: 'reminder' },
  {
    id: 'affinity-data-description',
    name: 'Description (Affinity Data)',
    kind: 'enriched',
    valueType: 'text',
    source: 'affinity-data',
  },
  { id: 'affinity-data-location', name: 'Location', kind: 'enriched', valueType: 'location', source: 'affinity-data' },
  {
    id: 'affinity-data-industry',
    name: 'Industries',
    kind: 'enriched',
    valueType: 'filterable-text-multi',
    source: 'affinity-data',
  },
  {
    id: 'dealroom-number-of-employees',
    name: 'Number of Employees',
    kind: 'enriched',
    valueType: 'number',
    source: 'dealroom',
  },
  {
    id: 'source-of-introduction',
    name: 'Source of Introduction',
    kind: 'relationship-intelligence',
    valueType: 'person',
  },
  {
    id: 'first-email',
    name: 'First Email',
    kind: 'relationship-intelligence',
    valueType: 'interaction',
    interaction: 'email',
  },
  {
    id: 'last-event',
    name: 'Last Meeting',
    kind: 'relationship-intelligence',
    valueType: 'interaction',
    interaction: 'meeting',
  },
  {
    id: 'last-contact',
    name: 'Last Contact',
    kind: 'relationship-intelligence',
    valueType: 'interaction',
    interaction: 'any',
  },
  {
    id: 'last-chat-message',
    name: 'Last Chat Message',
    kind: 'relationship-intelligence',
    valueType: 'interaction',
    interaction: 'chat-message',
  },
];

const OPPORTUNITY_FIELDS: FieldSpec[] = [
  { id: 'field-3001', name: 'Stage', kind: 'list', valueType: 'ranked-dropdown' },
  { id: 'field-3002', name: 'Owner', kind: 'list', valueType: 'person' },
  { id: 'field-3003', name: 'Deal Size', kind: 'list', valueType: 'number' },
  { id: 'field-3004', name: 'Expected Close', kind: 'list', valueType: 'datetime' },
  { id: 'field-3005', name: 'Company', kind: 'list', valueType: 'company' },
  { id: 'field-3006', name: 'Notes', kind: 'list', valueType: 'text' },
];

const POOL_SIZE = 256;
const NULL_RATE = 0.15;

export function generateSeed(opts: GenerateOptions): EmulatorSeed {
  const n = Math.max(0, Math.floor(opts.entries));
  const rand = prng(opts.seed ?? 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    const out = new Set<T>();
    while (out.size < Math.min(k, xs.length)) out.add(pick(xs));
    return [...out];
  };
  const base = Date.UTC(2024, 0, 1);
  const iso = (ms: number) => new Date(ms).toISOString();

  // ---- directory ----
  const person = (id: number, type: PersonData['type']): PersonData => {
    const firstName = pick(FIRST);
    const lastName = rand() < 0.05 ? null : pick(LAST);
    const email = rand() < 0.1 ? null : `p${id}@${type === 'internal' ? 'generated.vc' : 'example.com'}`;
    return { id, firstName, lastName, primaryEmailAddress: email, type };
  };
  const team = Array.from({ length: 8 }, (_, i) => person(70001 + i, 'internal'));
  team[0] = {
    id: 70001,
    firstName: 'Ada',
    lastName: 'Lovelace',
    primaryEmailAddress: 'ada@generated.vc',
    type: 'internal',
  };
  const externals = Array.from({ length: 420 }, (_, i) =>
    person(71001 + i, i % 21 === 0 ? 'collaborator' : 'external'),
  );
  const persons = [...team, ...externals];
  const companies: CompanyData[] = Array.from({ length: 600 }, (_, i) => ({
    id: 80001 + i,
    name: `${pick(COMPANY_NAMES)} ${i + 1}`,
    domain: rand() < 0.1 ? null : `company${i + 1}.example.com`,
  }));

  // ---- dropdown options ----
  const ranked = (ids: number, texts: string[]): DropdownOption[] =>
    texts.map((text, i) => ({
      type: 'ranked-dropdown',
      id: ids + i,
      text,
      rank: i + 1,
      color: COLORS[i % COLORS.length],
    }));
  const plain = (ids: number, texts: string[]): DropdownOption[] =>
    texts.map((text, i) => ({ type: 'dropdown', id: ids + i, text }));
  const dropdownOptions: Record<string, DropdownOption[]> = {
    'field-1001': ranked(30001, ['Sourced', 'Qualified', 'Diligence', 'IC Review', 'Term Sheet', 'Won', 'Lost']),
    'field-1006': plain(30101, [
      'Fintech',
      'Santé',
      '金融科技',
      'Climate 🌱',
      'Food, Beverage; Hospitality',
      '=SUM(A1:A9)',
      'Dev Tools',
      'Marketplaces',
      'AI',
      'Biotech',
      'Robotics',
      'Consumer',
      'Security',
      'Gaming',
      'Edtech',
      'Proptech',
      'Logistics',
      'Insurtech',
      'Media',
      'Other',
    ]),
    'field-1007': plain(
      30201,
      Array.from(
        { length: 30 },
        (_, i) =>
          [
            'hot',
            'warm',
            'cold',
            'follow-up',
            'référé',
            '要跟进',
            '🔥',
            '+priority',
            'B2B, enterprise',
            'seed; pre-seed',
          ][i % 10] + (i >= 10 ? ` ${Math.floor(i / 10)}` : ''),
      ),
    ),
    'field-2001': plain(30301, [
      'Software',
      'Hardware',
      'Financial Services',
      'Healthcare',
      'Energy',
      'Retail',
      'Media',
      'Transportation',
      'Education',
      'Real Estate',
      'Agriculture',
      'Telecom',
    ]),
    'field-3001': [
      { type: 'status-dropdown', id: 30401, text: 'Open', rank: 1, color: 'blue', statusCategory: 'open', winRate: 20 },
      {
        type: 'status-dropdown',
        id: 30402,
        text: 'Negotiating',
        rank: 2,
        color: 'orange',
        statusCategory: 'open',
        winRate: 60,
      },
      {
        type: 'status-dropdown',
        id: 30403,
        text: 'On hold',
        rank: 3,
        color: 'gray',
        statusCategory: 'on-hold',
        winRate: null,
      },
      { type: 'status-dropdown', id: 30404, text: 'Won', rank: 4, color: 'green', statusCategory: 'won', winRate: 100 },
      { type: 'status-dropdown', id: 30405, text: 'Lost', rank: 5, color: 'red', statusCategory: 'lost', winRate: 0 },
    ],
  };
  const optionValue = (o: DropdownOption) =>
    o.type === 'dropdown'
      ? { dropdownOptionId: o.id, text: o.text }
      : { dropdownOptionId: o.id, text: o.text, rank: o.rank, color: o.color };

  // ---- lists and fields ----
  const listsOut: ListWithType[] = [
    {
      id: GENERATED.companyListId,
      name: 'Generated Companies',
      type: 'company',
      isPublic: true,
      ownerId: 70001,
      creatorId: 70001,
      createdAt: iso(base - 400 * 86_400_000),
    },
    {
      id: GENERATED.opportunityListId,
      name: 'Generated Opportunities',
      type: 'opportunity',
      isPublic: false,
      ownerId: 70002,
      creatorId: 70001,
      createdAt: iso(base - 300 * 86_400_000),
    },
  ];
  const fieldsInView = Math.max(1, opts.fieldsInView ?? 30);
  const companySpecs = [...COMPANY_FIELDS];
  for (let k = 0; companySpecs.length < fieldsInView; k++) {
    companySpecs.push({
      id: `field-${1100 + k}`,
      name: `Extra ${k % 2 ? 'Number' : 'Text'} ${k + 1}`,
      kind: 'list',
      valueType: k % 2 ? 'number' : 'text',
    });
  }
  const meta = (s: FieldSpec): FieldMetadata => ({
    id: s.id,
    name: s.name,
    type: s.kind,
    enrichmentSource: s.source ?? null,
    valueType: s.valueType,
    createdAt: s.kind === 'list' || s.kind === 'global' ? iso(base - 200 * 86_400_000) : null,
    description: s.kind === 'list' ? `${s.name} (generated)` : null,
    isRequired: false,
  });

  // ---- values ----
  const attendee = (p: PersonData): Attendee => ({ emailAddress: p.primaryEmailAddress, person: p });
  let interactionId = 600000;
  const interaction = (kind: FieldSpec['interaction']): Interaction => {
    const type = kind === 'any' || !kind ? pick(['email', 'meeting', 'call', 'chat-message'] as const) : kind;
    const at = iso(base + int(-500, 200) * 86_400_000 + int(0, 86_399) * 1000);
    const people = sample(externals, int(1, 3));
    const id = ++interactionId;
    switch (type) {
      case 'email':
        return {
          type,
          id,
          sentAt: at,
          subject: pick(SENTENCES).slice(0, 60) || null,
          from: attendee(pick(team)),
          to: people.map(attendee),
          cc: [],
        };
      case 'meeting':
        return {
          type,
          id,
          startTime: at,
          endTime: rand() < 0.2 ? null : iso(Date.parse(at) + 3_600_000),
          allDay: rand() < 0.1,
          title: pick(['Intro call', 'Partner meeting — Zürich', '投资会议', null]),
          attendees: [attendee(pick(team)), ...people.map(attendee)],
        };
      case 'call':
        return { type, id, startTime: at, attendees: [attendee(pick(team)), ...people.map(attendee)] };
      default:
        return {
          type: 'chat-message',
          id,
          sentAt: at,
          direction: pick(['received', 'sent'] as const),
          manualCreator: pick(team),
          participants: people,
        };
    }
  };
  const longText = (min: number) => {
    const parts: string[] = [];
    let len = 0;
    while (len < min) {
      const s = pick(SENTENCES.filter(Boolean));
      parts.push(s);
      len += s.length + 1;
    }
    return parts.join(' ');
  };
  const datetime = () => affinityDatetime(base + int(-900, 900) * 86_400_000 + int(0, 86_399_999));
  const multi = <T>(make: () => T, max: number, k: number): T[] | null =>
    k % 97 === 0 ? [] : Array.from({ length: int(1, max) }, make);

  const value = (s: FieldSpec, k: number): FieldValue => {
    const t = s.valueType;
    switch (t) {
      case 'text':
      case 'filterable-text':
        return {
          type: t,
          data:
            k < SENTENCES.length
              ? SENTENCES[k]
              : k % 50 === 7
                ? longText(1_000 + int(0, 2_000))
                : `${pick(SENTENCES)} #${k}`,
        };
      case 'filterable-text-multi':
        return {
          type: t,
          data: multi(() => pick(['Fintech', 'Payments', 'ロボット', 'Santé', 'B2B, SaaS', '=A1']), 4, k),
        };
      case 'number':
        return {
          type: t,
          data: k % 41 === 3 ? -int(1, 1000) : k % 37 === 5 ? int(1, 10_000) / 7 : int(1, 2000) * 25_000,
        };
      case 'number-multi':
        return { type: t, data: multi(() => int(1, 400) * 10_000, 5, k) };
      case 'datetime':
        return { type: t, data: datetime() };
      case 'location':
        return { type: t, data: pick(CITIES) };
      case 'location-multi':
        return { type: t, data: multi(() => pick(CITIES), 3, k) };
      case 'dropdown':
      case 'ranked-dropdown':
        return { type: t, data: optionValue(pick(dropdownOptions[s.id])) } as FieldValue;
      case 'dropdown-multi':
        return {
          type: t,
          data: k % 97 === 0 ? [] : sample(dropdownOptions[s.id], int(1, 4)).map(optionValue),
        };
      case 'person':
        return { type: t, data: s.kind === 'list' ? pick(team) : pick(externals) };
      case 'person-multi':
        return { type: t, data: k % 97 === 0 ? [] : sample(persons, int(1, 4)) };
      case 'company':
        return { type: t, data: pick(companies) };
      case 'company-multi':
        // One pool value exceeds the 100 a read returns, to exercise truncation and totalCount.
        return { type: t, data: k === 1 ? sample(companies, 105) : k % 97 === 0 ? [] : sample(companies, int(1, 5)) };
      case 'formula-number':
        return {
          type: t,
          data: rand() < 0.1 ? { calculatedValue: null } : { calculatedValue: Math.round(rand() * 10_000) / 100 },
        };
      case 'interaction':
        return { type: t, data: interaction(s.interaction), internalPerson: pick(team) };
      case 'list-multi':
        return {
          type: t,
          data: sample(listsOut, int(1, 2)).map((l) => ({
            id: l.id,
            name: l.name,
            type: l.type,
            entityCount: l.id === GENERATED.companyListId ? n : 24,
          })),
        };
      case 'note': {
        const creator = pick(team);
        const mentioned = pick(externals);
        return {
          type: t,
          data: {
            id: 700000 + k,
            content: { html: `<p>${pick(SENTENCES).replace(/</g, '&lt;')}</p><p>cc @${mentioned.firstName}</p>` },
            createdAt: iso(base - int(0, 300) * 86_400_000),
            updatedAt: rand() < 0.5 ? null : iso(base),
            creator,
            mentions: [{ id: 710000 + k, type: 'person', person: mentioned }],
          },
        };
      }
      case 'reminder':
        return {
          type: t,
          data: {
            id: 720000 + k,
            type: pick(['one-time', 'recurring'] as const),
            content: rand() < 0.2 ? null : pick(SENTENCES),
            dueDate: datetime(),
            createdAt: iso(base),
          },
        };
    }
  };

  /** Per field: a null Field and a pool of valued Fields, shared by every row that picks them. */
  const pools = (specs: FieldSpec[]) =>
    specs.map((s) => {
      const m = meta(s);
      const cell = (v: FieldValue): Field => ({
        id: s.id,
        name: s.name,
        type: s.kind,
        enrichmentSource: m.enrichmentSource,
        value: v,
      });
      const empty = cell(
        s.valueType === 'interaction'
          ? { type: 'interaction', data: null, internalPerson: null }
          : { type: s.valueType, data: null },
      );
      return { spec: s, meta: m, cell, empty, pool: Array.from({ length: POOL_SIZE }, (_, k) => cell(value(s, k))) };
    });
  const rowFields = (ps: ReturnType<typeof pools>): Field[] =>
    ps.map((p) => (rand() < NULL_RATE ? p.empty : p.pool[Math.floor(rand() * POOL_SIZE)]));

  // ---- company list ----
  const companyPools = pools(companySpecs);
  const huge = new Set<number>(GENERATED.hugeTextIndexes(n));
  const descriptionAt = companySpecs.findIndex((s) => s.id === 'field-1005');
  const companyEntries: ListEntryWithEntity[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const fields = rowFields(companyPools);
    if (huge.has(i))
      fields[descriptionAt] = companyPools[descriptionAt].cell({ type: 'text', data: longText(50_000 + (i % 10_000)) });
    const name = `${COMPANY_NAMES[i % COMPANY_NAMES.length]} ${i + 1}`;
    const domain = i % 11 === 0 ? null : `co${i + 1}.example.com`;
    companyEntries[i] = {
      id: GENERATED.firstEntryId + i,
      listId: GENERATED.companyListId,
      type: 'company',
      createdAt: iso(base + i * 60_000),
      creatorId: i % 13 === 0 ? null : team[i % team.length].id,
      entity: { id: 2_000_001 + i, name, domain, domains: domain ? [domain] : [], isGlobal: i % 17 === 0, fields },
    };
  }

  // ---- opportunity list ----
  const oppPools = pools(OPPORTUNITY_FIELDS);
  const oppEntries: ListEntryWithEntity[] = Array.from({ length: 24 }, (_, i) => ({
    id: 1_900_001 + i,
    listId: GENERATED.opportunityListId,
    type: 'opportunity',
    createdAt: iso(base + i * 3_600_000),
    creatorId: team[i % team.length].id,
    entity: {
      id: 3_000_001 + i,
      name: `${pick(COMPANY_NAMES)} — ${pick(['Seed', 'Series A', 'Series B', 'Bridge'])}`,
      listId: GENERATED.opportunityListId,
      isRedacted: false,
      isRestricted: i % 6 === 5,
      fields: rowFields(oppPools),
    },
  }));

  // ---- views ----
  const companyIds = companyEntries.map((e) => e.id);
  const created = iso(base - 100 * 86_400_000);
  const views: SeedView[] = [
    {
      id: GENERATED.sheetViewId,
      name: 'All Companies',
      type: 'sheet',
      createdAt: created,
      entryIds: companyIds,
      fieldIds: companySpecs.slice(0, fieldsInView).map((s) => s.id),
    },
    {
      id: GENERATED.boardViewId,
      name: 'Pipeline Board',
      type: 'board',
      createdAt: created,
      entryIds: companyIds.slice(0, 100),
      fieldIds: ['field-1001'],
    },
    {
      id: GENERATED.dashboardViewId,
      name: 'Pipeline Dashboard',
      type: 'dashboard',
      createdAt: created,
      entryIds: [],
      fieldIds: [],
    },
    {
      id: GENERATED.recentViewId,
      name: 'Recently Added',
      type: 'sheet',
      createdAt: created,
      entryIds: companyIds.slice(-50).reverse(),
      fieldIds: ['field-1005', 'field-1001', 'field-1003', 'field-1006', 'field-1002', 'field-1004'],
    },
  ];

  const whoami: WhoAmI = {
    tenant: { id: 1, name: 'Generated Capital', subdomain: 'generated-capital' },
    user: { id: 70001, firstName: 'Ada', lastName: 'Lovelace', emailAddress: 'ada@generated.vc' },
    grant: { type: 'api-key', scopes: ['api'], createdAt: iso(base - 30 * 86_400_000) },
  };

  return {
    users: [{ apiKey: GENERATED.apiKey, whoami }],
    nango: [{ ...GENERATED.nango, apiKey: GENERATED.apiKey }],
    lists: listsOut,
    fields: {
      [GENERATED.companyListId]: companyPools.map((p) => p.meta),
      [GENERATED.opportunityListId]: oppPools.map((p) => p.meta),
    },
    dropdownOptions,
    entries: { [GENERATED.companyListId]: companyEntries, [GENERATED.opportunityListId]: oppEntries },
    savedViews: {
      [GENERATED.companyListId]: views,
      [GENERATED.opportunityListId]: [
        {
          id: GENERATED.opportunityViewId,
          name: 'All Opportunities',
          type: 'sheet',
          createdAt: created,
          entryIds: oppEntries.map((e) => e.id),
          fieldIds: OPPORTUNITY_FIELDS.map((s) => s.id),
        },
      ],
    },
    persons,
    companies,
    mergedEntities: [
      { type: 'person', id: 79001, mergedInto: 71001 },
      { type: 'person', id: 79002, mergedInto: 71002 },
      { type: 'company', id: 89001, mergedInto: 80001 },
      { type: 'company', id: 89002, mergedInto: 80002 },
    ],
  };
}
