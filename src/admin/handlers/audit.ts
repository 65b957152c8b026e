// Read the audit log, newest first, a page at a time.
import { z } from 'zod';
import { isAuditCursor, type AuditLog } from '../audit-log.ts';
import { defineRoute, type AdminRoute } from '../route.ts';

/** Page size bounds: 50 by default is one screen; 500 keeps one reply small. */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

const query = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  cursor: z.string().refine(isAuditCursor, 'must be a nextCursor value').optional(),
});

export function auditRoutes(audit: AuditLog): AdminRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      action: 'audit.read',
      query,
      handler: async ({ query: { limit, cursor } }) => {
        const page = await audit.page({ limit, cursor });
        return { body: page, details: { count: page.entries.length } };
      },
    }),
  ];
}
