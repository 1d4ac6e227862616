/**
 * Links into Affinity's web app. A record's page holds its id ("The ID for a List, Saved View, Person, Company, or
 * Opportunity can always be found in its Affinity web app URL", Affinity API v2 reference, A Tour of Our GET
 * Endpoints), at the account's subdomain (whoami's `tenant.subdomain`). Assumption (docs/push.md, Undo): the pages
 * are `https://{subdomain}.affinity.co/{companies|persons|opportunities}/{id}`, the forms the push also reads back
 * when a URL is pasted into a name cell. Pure.
 */
import type { ListType } from '../affinity/types';

const PATHS: Record<ListType, string> = { company: 'companies', person: 'persons', opportunity: 'opportunities' };

/** The record's page in Affinity, or null when the subdomain or id is not what Affinity issues. */
export function recordUrl(subdomain: string | null | undefined, type: ListType, id: number): string | null {
  if (!subdomain || !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(subdomain)) return null;
  if (!Number.isSafeInteger(id) || id <= 0 || !(type in PATHS)) return null;
  return `https://${subdomain.toLowerCase()}.affinity.co/${PATHS[type]}/${id}`;
}
