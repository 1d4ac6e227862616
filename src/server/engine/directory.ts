/**
 * The entity directory: the people and companies a view mentions, kept so that a name typed in a person or company
 * cell resolves to an id without a request. Pure.
 */
import type { CompanyData, ListEntryWithEntity, PersonData } from '../affinity/types';

/** Characters the cached directory may take (16 cache values of 24,000). */
const DIRECTORY_BUDGET = 380_000;

/** People and companies known by id. */
export interface Directory {
  persons: PersonData[];
  companies: CompanyData[];
}

/** People and companies the entries mention (values, and the entries' own entities), to resolve typed names. */
export function entitiesIn(entries: readonly ListEntryWithEntity[], opts: { rows?: boolean } = {}): Directory {
  const persons = new Map<number, PersonData>();
  const companies = new Map<number, CompanyData>();
  const rows = opts.rows ?? true;
  for (const entry of entries) {
    if (!rows) {
      // only the values
    } else if (entry.type === 'company') {
      const e = entry.entity;
      if (!companies.has(e.id)) companies.set(e.id, { id: e.id, name: e.name, domain: e.domain ?? null });
    } else if (entry.type === 'person') {
      const e = entry.entity;
      if (!persons.has(e.id)) {
        persons.set(e.id, {
          id: e.id,
          firstName: e.firstName,
          lastName: e.lastName,
          primaryEmailAddress: e.primaryEmailAddress,
          type: e.type,
        });
      }
    }
    for (const field of entry.entity.fields ?? []) {
      const v = field.value;
      if (!v || v.data === null || v.data === undefined) continue;
      if (v.type === 'person') {
        if (!persons.has(v.data.id)) persons.set(v.data.id, v.data);
      } else if (v.type === 'person-multi') {
        for (const p of v.data) if (p && !persons.has(p.id)) persons.set(p.id, p);
      } else if (v.type === 'company') {
        if (!companies.has(v.data.id)) companies.set(v.data.id, v.data);
      } else if (v.type === 'company-multi') {
        for (const c of v.data) if (c && !companies.has(c.id)) companies.set(c.id, c);
      }
    }
  }
  return { persons: [...persons.values()], companies: [...companies.values()] };
}

type StoredDirectory = {
  p: [id: number, first: string | null, last: string | null, email: string | null, type: PersonData['type']][];
  c: [id: number, name: string, domain: string | null][];
};

export function packDirectory(dir: Directory): StoredDirectory {
  return {
    p: dir.persons.map((p) => [p.id, p.firstName, p.lastName, p.primaryEmailAddress, p.type]),
    c: dir.companies.map((c) => [c.id, c.name, c.domain]),
  };
}

export function unpackDirectory(value: unknown): Directory | null {
  const v = value as StoredDirectory | null;
  if (!v || !Array.isArray(v.p) || !Array.isArray(v.c)) return null;
  return {
    persons: v.p.map(([id, firstName, lastName, primaryEmailAddress, type]) => ({
      id,
      firstName,
      lastName,
      primaryEmailAddress,
      type,
    })),
    companies: v.c.map(([id, name, domain]) => ({ id, name, domain })),
  };
}

/** Entities of both directories, each id once (the first one wins). */
export function mergeDirectories(...dirs: (Directory | null | undefined)[]): Directory {
  const persons = new Map<number, PersonData>();
  const companies = new Map<number, CompanyData>();
  for (const d of dirs) {
    if (!d) continue;
    for (const p of d.persons) if (!persons.has(p.id)) persons.set(p.id, p);
    for (const c of d.companies) if (!companies.has(c.id)) companies.set(c.id, c);
  }
  return { persons: [...persons.values()], companies: [...companies.values()] };
}

/** People and companies mentioned in values first, then the rows' own entities, cut to fit the cache. */
export function directoryOf(entries: readonly ListEntryWithEntity[]): Directory {
  return fitDirectory(mergeDirectories(entitiesIn(entries, { rows: false }), entitiesIn(entries)));
}

/** A directory cut to fit the cache (the first people and companies are kept). */
export function fitDirectory(all: Directory): Directory {
  let dir = all;
  let size = JSON.stringify(packDirectory(dir)).length;
  while (size > DIRECTORY_BUDGET && dir.persons.length + dir.companies.length > 0) {
    const keep = DIRECTORY_BUDGET / size;
    dir = {
      persons: dir.persons.slice(0, Math.floor(dir.persons.length * keep * 0.95)),
      companies: dir.companies.slice(0, Math.floor(dir.companies.length * keep * 0.95)),
    };
    size = JSON.stringify(packDirectory(dir)).length;
  }
  return dir;
}
