/**
 * The emulator's seed: everything it serves, in Affinity's own v2 response shapes (src/server/affinity/types.ts).
 * See docs/emulator.md for how each part is used.
 */
import type {
  CompanyData,
  DropdownOption,
  FieldMetadata,
  ListEntryWithEntity,
  ListWithType,
  PersonData,
  SavedView,
  WhoAmI,
} from '../../src/server/affinity/types';

export interface SeedUser {
  apiKey: string;
  whoami: WhoAmI;
  /** The 'Export data from Lists' permission (needed to read list entries and to write). Default true. */
  canExport?: boolean;
  /** False for an account whose plan has no API access (trial, Essentials): every call is a 403. Default true. */
  apiAccess?: boolean;
  /**
   * The key's Default API Version (chosen when the key is created in Affinity): what a request without an
   * `X-Affinity-Api-Version` header is served at. Default '2026-09-17'.
   */
  defaultApiVersion?: '2024-01-01' | '2026-07-15' | '2026-09-17';
}

export interface SeedNangoConnection {
  secretKey: string;
  providerConfigKey: string;
  connectionId: string;
  /** The Affinity key Nango uses upstream (one of `users[].apiKey`). */
  apiKey: string;
}

/**
 * Affinity does not expose a view's filters or columns, so a seed view names its rows and columns: the emulator serves
 * exactly `entryIds` (in that order; Affinity ignores a view's sort) with exactly `fieldIds` (in that order; a field
 * with no value is present with `data: null`).
 */
export type SeedView = SavedView & { entryIds: number[]; fieldIds: string[] };

export interface SeedMergedEntity {
  type: 'person' | 'company';
  id: number;
  mergedInto: number;
}

export interface SeedRateLimit {
  /** Requests per user per minute (fixed 60 s window from its first request). Default 900. */
  perMinute?: number;
  /** Requests per account per calendar month (UTC). Absent or null: no monthly quota and no `-org` headers. */
  perMonth?: number | null;
}

export interface EmulatorSeed {
  users: SeedUser[];
  nango?: SeedNangoConnection[];
  lists: ListWithType[];
  /** Keyed by list id. */
  fields: Record<string, FieldMetadata[]>;
  /** Keyed by field id (field ids are unique across the account). */
  dropdownOptions: Record<string, DropdownOption[]>;
  /** Keyed by list id; `entity.fields` holds every field of the list (`data: null` when empty). */
  entries: Record<string, ListEntryWithEntity[]>;
  /** Keyed by list id. */
  savedViews: Record<string, SeedView[]>;
  /** Directory that person/company writes (`{id}`) resolve against. */
  persons?: PersonData[];
  companies?: CompanyData[];
  mergedEntities?: SeedMergedEntity[];
  rateLimit?: SeedRateLimit;
}
