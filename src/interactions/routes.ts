// The /interaction/:uid pages: login, consent and abort. oidc-provider decides which prompt is
// due; these routes render it and hand the result back.
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { AccountStore } from '../accounts/store.ts';
import type { Config } from '../config/schema.ts';
import { respondWithPage } from '../http/render.ts';
import type { Logger } from '../observability/logger.ts';
import { resourceScopeDescriptions } from '../provider/resources.ts';
import { csrfToken, isSameOrigin, isValidCsrf } from './csrf.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { describeScopes } from './scopes.ts';

export interface InteractionDependencies {
  config: Readonly<Config>;
  provider: Provider;
  accounts: AccountStore;
  limiter: LoginLimiter;
  csrfSecret: string;
  logger: Logger;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const LOGIN_FAILED = 'Wrong username or password.';

/** A page or form used out of order (back button, second tab): say so instead of failing. */
function outOfStep(ctx: Context): void {
  respondWithPage(ctx, 'message', { title: 'Sign-in out of step', message: 'This sign-in step is no longer current. Please return to the application and start again.', code: 'interaction_out_of_step' }, 400);
}

export function interactionRoutes(deps: InteractionDependencies): Router {
  const { provider, accounts, limiter, csrfSecret, config, logger } = deps;
  const router = new Router({ prefix: '/interaction' });
  const scopeWords = resourceScopeDescriptions(config);
  const form = bodyParser({ enableTypes: ['form'], formLimit: '8kb' });

  const details = (ctx: Context) => provider.interactionDetails(ctx.req, ctx.res);

  const clientName = async (interaction: Details) => {
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  };

  const finish = async (ctx: Context, result: InteractionResults) => {
    const target = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    // Like the pages: nothing from a sign-in step may be kept by a cache.
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(target);
  };

  const renderLogin = async (ctx: Context, interaction: Details, extra: { error?: string; username?: string; status?: number } = {}) => {
    respondWithPage(
      ctx,
      'login',
      {
        title: 'Sign in',
        clientName: await clientName(interaction),
        action: `/interaction/${interaction.uid}/login`,
        abort: `/interaction/${interaction.uid}/abort`,
        csrf: csrfToken(csrfSecret, interaction.uid),
        username: extra.username ?? (typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : ''),
        error: extra.error,
      },
      extra.status,
    );
  };

  /** Rejects posts that fail the CSRF checks; returns the interaction otherwise. */
  const checkedPost = async (ctx: Context): Promise<Details | undefined> => {
    const interaction = await details(ctx);
    const body = ctx.request.body as Record<string, unknown> | undefined;
    if (interaction.uid !== ctx.params.uid || !isSameOrigin(ctx, config.issuer) || !isValidCsrf(csrfSecret, interaction.uid, body?.csrf)) {
      respondWithPage(ctx, 'message', { title: 'Request refused', message: 'This form was not submitted from this sign-in page. Please start again.', code: 'csrf_check_failed' }, 403);
      return undefined;
    }
    return interaction;
  };

  router.get('/:uid', async (ctx) => {
    const interaction = await details(ctx);
    if (interaction.uid !== ctx.params.uid) return outOfStep(ctx);
    if (interaction.prompt.name === 'login') return renderLogin(ctx, interaction);
    const accountId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !accountId) return outOfStep(ctx);
    const account = await accounts.findById(accountId);
    const missing = interaction.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const resourceScopes = Object.values(missing.missingResourceScopes ?? {}).flat();
    respondWithPage(ctx, 'consent', {
      title: 'Allow access?',
      clientName: await clientName(interaction),
      username: account?.username ?? '',
      scopes: describeScopes([...(missing.missingOIDCScope ?? []), ...resourceScopes], scopeWords),
      resources: Object.keys(missing.missingResourceScopes ?? {}),
      action: `/interaction/${interaction.uid}/confirm`,
      csrf: csrfToken(csrfSecret, interaction.uid),
    });
  });

  router.post('/:uid/login', form, async (ctx) => {
    const interaction = await checkedPost(ctx);
    if (!interaction) return;
    if (interaction.prompt.name !== 'login') return outOfStep(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const wait = await limiter.retryAfter(username, ctx.ip);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      return renderLogin(ctx, interaction, { username, status: 429, error: `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).` });
    }
    const account = username && password ? await accounts.authenticate(username, password) : undefined;
    if (!account) {
      await limiter.recordFailure(username, ctx.ip);
      logger.info({ event: 'login_failed', ip: ctx.ip, client_id: interaction.params.client_id }, 'login failed');
      // 400, not 401: a 401 must carry an HTTP authentication challenge (RFC 9110 §15.5.2), and a
      // form login has none to offer.
      return renderLogin(ctx, interaction, { username, status: 400, error: LOGIN_FAILED });
    }
    await limiter.recordSuccess(username);
    logger.info({ event: 'login', sub: account.id, client_id: interaction.params.client_id }, 'login succeeded');
    await finish(ctx, { login: { accountId: account.id, amr: ['pwd'] } });
  });

  router.post('/:uid/confirm', form, async (ctx) => {
    const interaction = await checkedPost(ctx);
    if (!interaction) return;
    const accountId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !accountId) return outOfStep(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    if (body.decision !== 'allow') {
      return finish(ctx, { error: 'access_denied', error_description: 'the user denied the request' });
    }
    const missing = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    if (!grant) return outOfStep(ctx);
    if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await finish(ctx, { consent: { grantId } });
  });

  router.post('/:uid/abort', form, async (ctx) => {
    if (!(await checkedPost(ctx))) return;
    await finish(ctx, { error: 'access_denied', error_description: 'the user cancelled the sign-in' });
  });

  return router;
}
