/**
 * Affinity API v2 shapes (version 2026-09-17) that this product reads and writes.
 * Derived from the spec digest; names follow the spec's schema names.
 */

export const AFFINITY_API_VERSION = '2026-09-17';
export const AFFINITY_BASE_URL = 'https://api.affinity.co';
/** Largest page the list endpoints accept. */
export const MAX_PAGE_SIZE = 100;
/** Most updates one `update-fields` batch accepts. */
export const MAX_BATCH_UPDATES = 100;

export interface Pagination {
  nextUrl?: string | null;
  prevUrl?: string | null;
}

export interface Paged<T> {
  data: T[] | null;
  pagination: Pagination;
}

export interface Tenant {
  id: number;
  name: string;
  subdomain: string;
}
export interface User {
  id: number;
  firstName: string;
  lastName: string | null;
  emailAddress: string;
}
export interface Grant {
  type: 'api-key' | 'access-token';
  scopes: string[];
  createdAt: string;
}
export interface WhoAmI {
  tenant: Tenant;
  user: User;
  grant: Grant;
}

export type ListType = 'company' | 'opportunity' | 'person';
export interface ListWithType {
  id: number;
  name: string;
  type: ListType;
  isPublic: boolean;
  ownerId: number;
  creatorId: number;
  createdAt: string;
}

export type SavedViewType = 'sheet' | 'board' | 'dashboard';
export interface SavedView {
  id: number;
  name: string;
  type: SavedViewType;
  createdAt: string;
}

export type FieldKind = 'enriched' | 'global' | 'list' | 'relationship-intelligence';
export type EnrichmentSource = 'affinity-data' | 'dealroom' | 'eventbrite' | 'mailchimp' | null;

export const VALUE_TYPES = [
  'company',
  'company-multi',
  'datetime',
  'dropdown',
  'dropdown-multi',
  'filterable-text',
  'filterable-text-multi',
  'formula-number',
  'interaction',
  'list-multi',
  'location',
  'location-multi',
  'note',
  'number',
  'number-multi',
  'person',
  'person-multi',
  'ranked-dropdown',
  'reminder',
  'text',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface FieldMetadata {
  id: string;
  name: string;
  type: FieldKind;
  enrichmentSource: EnrichmentSource;
  valueType: ValueType;
  createdAt: string | null;
  description: string | null;
  isRequired: boolean;
}

export interface CompanyData {
  id: number;
  name: string;
  domain: string | null;
}
export interface PersonData {
  id: number;
  firstName: string | null;
  lastName: string | null;
  primaryEmailAddress: string | null;
  type: 'internal' | 'external' | 'collaborator';
}
export interface Dropdown {
  dropdownOptionId: number;
  text: string;
}
export interface RankedDropdown extends Dropdown {
  rank: number;
  color: string | null;
}
export interface Location {
  streetAddress: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  continent: string | null;
}
export interface Attendee {
  emailAddress: string | null;
  person: PersonData | null;
}
export type Interaction =
  | {
      type: 'email';
      id: number;
      sentAt: string;
      subject: string | null;
      from: Attendee;
      to: Attendee[];
      cc: Attendee[];
    }
  | {
      type: 'meeting';
      id: number;
      startTime: string;
      endTime: string | null;
      allDay: boolean;
      title: string | null;
      attendees: Attendee[];
    }
  | { type: 'call'; id: number; startTime: string; attendees: Attendee[] }
  | {
      type: 'chat-message';
      id: number;
      sentAt: string;
      direction: 'received' | 'sent';
      manualCreator: PersonData;
      participants: PersonData[];
    };
export interface ListData {
  id: number;
  name: string;
  type: ListType;
  entityCount: number;
}
export interface BaseNote {
  id: number;
  content: { html: string | null };
  createdAt: string;
  updatedAt: string | null;
  creator: PersonData;
  mentions: unknown[];
}
export interface ReminderData {
  id: number;
  type: 'one-time' | 'recurring';
  content: string | null;
  dueDate: string;
  createdAt: string;
}

/** A field's value as Affinity returns it (`FieldValue`), discriminated by `type`. */
export type FieldValue =
  | { type: 'text' | 'filterable-text'; data: string | null }
  | { type: 'filterable-text-multi'; data: string[] | null; totalCount?: number }
  | { type: 'number'; data: number | null }
  | { type: 'number-multi'; data: number[] | null; totalCount?: number }
  | { type: 'datetime'; data: string | null }
  | { type: 'location'; data: Location | null }
  | { type: 'location-multi'; data: Location[] | null; totalCount?: number }
  | { type: 'dropdown'; data: Dropdown | null }
  | { type: 'dropdown-multi'; data: Dropdown[] | null; totalCount?: number }
  | { type: 'ranked-dropdown'; data: RankedDropdown | null }
  | { type: 'person'; data: PersonData | null }
  | { type: 'person-multi'; data: PersonData[] | null; totalCount?: number }
  | { type: 'company'; data: CompanyData | null }
  | { type: 'company-multi'; data: CompanyData[] | null; totalCount?: number }
  | { type: 'formula-number'; data: { calculatedValue?: number | null } | null }
  | { type: 'interaction'; data: Interaction | null; internalPerson: PersonData | null }
  | { type: 'list-multi'; data: ListData[] | null; totalCount?: number }
  | { type: 'note'; data: BaseNote | null }
  | { type: 'reminder'; data: ReminderData | null };

/** One cell of a list entry (`Field`). `type: 'hidden'` marks a restricted opportunity's field. */
export interface Field {
  id: string;
  name: string;
  type: FieldKind | 'hidden';
  enrichmentSource: EnrichmentSource;
  value: FieldValue;
}

export interface CompanyEntity {
  id: number;
  name: string;
  domain: string | null;
  domains: string[];
  isGlobal: boolean;
  fields?: Field[];
}
export interface PersonEntity {
  id: number;
  firstName: string;
  lastName: string | null;
  primaryEmailAddress: string | null;
  emailAddresses: string[];
  type: 'internal' | 'external';
  fields?: Field[];
}
export interface OpportunityEntity {
  id: number;
  name: string;
  listId: number;
  isRedacted: boolean;
  isRestricted: boolean;
  fields?: Field[];
}

interface ListEntryBase {
  id: number;
  listId: number;
  createdAt: string;
  creatorId: number | null;
}
export type ListEntryWithEntity =
  | (ListEntryBase & { type: 'company'; entity: CompanyEntity })
  | (ListEntryBase & { type: 'person'; entity: PersonEntity })
  | (ListEntryBase & { type: 'opportunity'; entity: OpportunityEntity });

export type DropdownOption =
  | { type: 'dropdown'; id: number; text: string }
  | { type: 'ranked-dropdown'; id: number; text: string; rank: number; color: string | null }
  | {
      type: 'status-dropdown';
      id: number;
      text: string;
      rank: number;
      color: string | null;
      statusCategory: 'open' | 'won' | 'lost' | 'on-hold';
      winRate: number | null;
    };

/** What a write sends (`FieldValueUpdate`); every variant accepts `data: null` to clear the cell. */
export type FieldValueUpdate =
  | { type: 'text' | 'filterable-text'; data: string | null }
  | { type: 'filterable-text-multi'; data: string[] | null }
  | { type: 'number'; data: number | null }
  | { type: 'number-multi'; data: number[] | null }
  | { type: 'datetime'; data: string | null }
  | { type: 'location'; data: Location | null }
  | { type: 'location-multi'; data: Location[] | null }
  | { type: 'dropdown'; data: { dropdownOptionId: number } | null }
  | { type: 'dropdown-multi'; data: { dropdownOptionId: number }[] | null }
  | { type: 'ranked-dropdown'; data: { dropdownOptionId: number } | null }
  | { type: 'person'; data: { id: number } | null }
  | { type: 'person-multi'; data: { id: number }[] | null }
  | { type: 'company'; data: { id: number } | null }
  | { type: 'company-multi'; data: { id: number }[] | null };

export interface BatchUpdateRequest {
  operation: 'update-fields';
  updates: { id: string; value: FieldValueUpdate }[];
}

export interface RateLimitWindow {
  limit: number;
  remaining: number;
  reset: number;
  used: number;
}

/** `GET /v2/rate-limit`: the caller's usage (read in Nango mode, where the proxy drops the rate-limit headers). */
export interface RateLimitUsage {
  callerPerMinute: RateLimitWindow;
  orgPerMonth?: RateLimitWindow;
}

/** Affinity's error body. */
export interface AffinityErrorBody {
  errors: { code: string; message: string; param?: string }[];
}
export const ERROR_CODES = [
  'authentication',
  'authorization',
  'bad-request',
  'conflict',
  'method-not-allowed',
  'not-acceptable',
  'not-found',
  'not-implemented',
  'rate-limit',
  'server',
  'timeout',
  'unprocessable-entity',
  'unsupported-media-type',
  'validation',
] as const;
