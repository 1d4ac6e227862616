/**
 * Affinity API v1, the two operations the product needs for opportunity lists (v2 has no opportunity creation in the
 * 2026-09-17 digest): `POST /opportunities` and `GET /opportunities/{opportunity_id}` as api-docs.affinity.co documents
 * them (copy: yaniv-golan/affinity-api-docs docs/v1/affinity_api_docs.md, "Opportunities"). Base URL
 * https://api.affinity.co/ (no version prefix); HTTP Basic auth with the API key as password and no username, or
 * Bearer. See docs/emulator.md ("API v1") for what is assumed.
 */

/** The list entry of a v1 opportunity resource (`entity_type` 8 = opportunity in v1's examples). */
export interface V1ListEntry {
  id: number;
  creator_id: number | null;
  list_id: number;
  entity_id: number;
  entity_type: number;
  created_at: string;
}

/** v1's opportunity resource. */
export interface V1Opportunity {
  id: number;
  name: string;
  person_ids: number[];
  organization_ids: number[];
  list_entries: V1ListEntry[];
}

export const V1_OPPORTUNITY_ENTITY_TYPE = 8;

/** A v1 error: the status and a message (v1 documents the statuses, not the body: `{message}` is assumed). */
export class V1Error extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The key of a v1 Authorization header: Basic with the key as password (any or no username), or Bearer. */
export function v1Key(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (bearer) return bearer;
  const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}

/** Validates `POST /opportunities`'s body: name and list_id required, person_ids/organization_ids integer arrays. */
export function parseCreateOpportunity(body: unknown): {
  name: string;
  listId: number;
  personIds: number[];
  organizationIds: number[];
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new V1Error(400, 'The request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string' || b.name.trim() === '') throw new V1Error(400, 'name is required');
  if (!Number.isInteger(b.list_id)) throw new V1Error(400, 'list_id is required and must be an integer');
  const ids = (k: string): number[] => {
    const v = b[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x)))
      throw new V1Error(400, `${k} must be an array of integers`);
    return [...new Set(v as number[])];
  };
  return {
    name: b.name,
    listId: b.list_id as number,
    personIds: ids('person_ids'),
    organizationIds: ids('organization_ids'),
  };
}
