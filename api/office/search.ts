/** The register list's query (`?q=&bureauId=&active=&page=&pageSize=`), read the same for the page and the API. */
import type { LawyerSearch } from './lawyers';

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

export function lawyerSearchOf(query: Record<string, unknown>): LawyerSearch {
  const active = one(query.active);
  const page = Math.max(1, Math.min(10_000, Number(one(query.page)) || 1));
  const pageSize = Math.max(1, Math.min(200, Number(one(query.pageSize)) || 50));
  return {
    q: one(query.q)?.slice(0, 100) || undefined,
    bureauId: one(query.bureauId)?.slice(0, 200) || undefined,
    active: active === 'yes' || active === 'no' ? active : undefined,
    page,
    pageSize,
  };
}
