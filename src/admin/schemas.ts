// Shapes shared by several routes' zod schemas.
import { z } from 'zod';

/** An account id as AccountStore mints them (UUID). */
export const accountIdParams = z.object({ accountId: z.uuid('must be an account id (UUID)') });

/** Grant ids are oidc-provider ids: URL-safe, no braces or colons (they become key hash tags). */
export const grantIdParams = z.object({ grantId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a grant id') });

/** Why, in the operator's words; kept in the audit log. */
export const reason = z.string().trim().min(1).max(500).optional();

export const reasonBody = z.object({ reason }).strict();
