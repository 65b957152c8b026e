// One admin route = method, path, audit action, zod schemas and a handler. `toMiddleware` wraps the
// handler in what every route shares, in this order: authenticate → validate params, query, body →
// handle → respond → audit (successes and refusals of authenticated callers alike).
import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import type { Logger } from '../observability/logger.ts';
import type { Actor, AuditSink, Origin } from '../revocation/audit.ts';
import { actorOf, type AdminPrincipal } from './authenticate.ts';
import { readJsonBody } from './body.ts';
import { respondWithError, toAdminError } from './error-response.ts';
import { AdminError, type AdminErrorDetail } from './errors.ts';
import { originOf } from './request-context.ts';

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: AdminPrincipal;
  actor: Actor;
  origin: Origin;
}

export interface HandlerResult {
  /** Default 200. */
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** What the action touched, for the audit trail. */
  target?: { type: string; id: string } | undefined;
  reason?: string | undefined;
  /** Small facts for the audit trail (never secrets). */
  details?: Record<string, unknown> | undefined;
}

export interface AdminRuntime {
  authenticate(authorization: string | undefined): Promise<AdminPrincipal>;
  audit: AuditSink;
  logger: Logger;
}

export interface AdminRoute {
  readonly method: 'get' | 'post';
  /** Koa-router path below /admin/v1, e.g. `/grants/:grantId/revoke`. */
  readonly path: string;
  /** Audit action; `null` for public routes (no token, not audited). */
  readonly action: string | null;
  toMiddleware(runtime: AdminRuntime): Middleware;
}

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post';
  path: string;
  action: string | null;
  params?: P;
  query?: Q;
  body?: B;
  /** What the route acts on, from its raw params, so refusals are audited with their target too. */
  target?(params: Record<string, string>): { type: string; id: string };
  handler(input: HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<HandlerResult>;
}

function check<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string, problems: AdminErrorDetail[]): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<T>;
  for (const issue of result.error.issues) problems.push({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message });
  return undefined as z.infer<T>;
}

function respond(ctx: Context, result: HandlerResult): void {
  ctx.status = result.status ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = result.body;
}

/**
 * Declares a route; the schemas type the handler's input.
 *
 * @example
 * ```ts
 * defineRoute({ method: 'post', path: '/grants/:grantId/revoke', action: 'grant.revoke', params, body, handler });
 * ```
 */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): AdminRoute {
  return {
    method: spec.method,
    path: spec.path,
    action: spec.action,
    toMiddleware: ({ authenticate, audit, logger }) => async (ctx) => {
      const origin = originOf(ctx);
      let principal: AdminPrincipal | undefined;
      let result: HandlerResult | undefined;
      let refusedActor: Actor | undefined;
      try {
        if (spec.action !== null) principal = await authenticate(ctx.get('authorization') || undefined);
        const problems: AdminErrorDetail[] = [];
        const params = check(spec.params, ctx.params, 'params', problems);
        const query = check(spec.query, ctx.query, 'query', problems);
        const rawBody = spec.body ? await readJsonBody(ctx) : undefined;
        const body = check(spec.body, rawBody ?? {}, 'body', problems);
        if (problems.length > 0) throw new AdminError('ERR_ADMIN_VALIDATION', 'the request is invalid', { details: problems });
        result = await spec.handler({
          params,
          query,
          body,
          // Public routes get no principal; their handlers never read one.
          principal: principal as AdminPrincipal,
          actor: principal ? actorOf(principal) : { kind: 'system', id: 'anonymous' },
          origin,
        });
        respond(ctx, result);
      } catch (caught) {
        const error = toAdminError(caught, logger, ctx);
        refusedActor = error.actor;
        respondWithError(ctx, error);
        result = { status: error.status, body: undefined, details: { code: error.code } };
      }
      // Only callers whose token verified are audited: anonymous noise must not push real entries
      // out of the capped stream.
      const actor = principal ? actorOf(principal) : refusedActor;
      if (!actor || spec.action === null) return;
      const target = result.target ?? spec.target?.(ctx.params as Record<string, string>);
      await audit
        .record({ actor, action: spec.action, target, status: ctx.status, origin, reason: result.reason, details: result.details })
        .catch((error: unknown) => logger.error({ err: error, action: spec.action, requestId: origin.requestId }, 'admin audit write failed'));
    },
  };
}
