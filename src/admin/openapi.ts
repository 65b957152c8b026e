// The admin API's OpenAPI 3.1 document, served at /admin/v1/openapi.json. A test checks that its
// paths are exactly the routes and that its error codes are exactly the catalogue.
import { ADMIN_RESOURCE, ADMIN_SCOPE } from './authenticate.ts';
import { ADMIN_ERROR_CODES } from './errors.ts';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const isoTime = { type: 'string', format: 'date-time' };
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });

function error(description: string): Json {
  return { description, content: json(ref('Error')) };
}

// Every authenticated route can answer these.
const COMMON_ERRORS: Json = {
  '401': { ...error('No token, or it does not verify (see `WWW-Authenticate`).'), headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } },
  '403': error('The token lacks the admin scope, or its client or account may not administer.'),
  '503': error('The store is unreachable; retry.'),
};

function operation(summary: string, responses: Json, extra: Json = {}): Json {
  return { summary, security: [{ adminToken: [] }], ...extra, responses: { ...responses, ...COMMON_ERRORS } };
}

const accountIdParameter = { name: 'accountId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const grantIdParameter = { name: 'grantId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } };
const reasonBody = { required: false, content: json(ref('ReasonBody')) };

const schemas: Json = {
  Error: {
    type: 'object',
    required: ['code', 'message', 'requestId'],
    properties: {
      code: { type: 'string', enum: Object.keys(ADMIN_ERROR_CODES) },
      message: { type: 'string' },
      details: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      requestId: { type: ['string', 'null'] },
    },
  },
  ReasonBody: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
  Account: {
    type: 'object',
    required: ['id', 'username', 'name', 'email', 'emailVerified', 'disabled', 'admin', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      username: { type: 'string' },
      name: { type: ['string', 'null'] },
      email: { type: ['string', 'null'] },
      emailVerified: { type: 'boolean' },
      disabled: { type: 'boolean' },
      admin: { type: 'boolean' },
      createdAt: isoTime,
    },
  },
  NewAccount: {
    type: 'object',
    additionalProperties: false,
    required: ['username', 'password'],
    properties: {
      username: { type: 'string', pattern: '^[A-Za-z0-9._@+-]{1,64}$' },
      password: { type: 'string', minLength: 8, maxLength: 1024 },
      name: { type: 'string', maxLength: 200 },
      email: { type: 'string', format: 'email' },
      admin: { type: 'boolean' },
    },
  },
  Grant: {
    type: 'object',
    required: ['id', 'clientId', 'clientName', 'scope', 'resources', 'createdAt', 'expiresAt', 'lastRefreshedAt', 'refreshTokens'],
    properties: {
      id: { type: 'string' },
      clientId: { type: 'string' },
      clientName: { type: ['string', 'null'] },
      scope: { type: 'string', description: 'OpenID scopes granted, space-separated.' },
      resources: { type: 'object', additionalProperties: { type: 'string' }, description: 'Resource indicator → scopes granted for it.' },
      createdAt: nullable(isoTime),
      expiresAt: nullable(isoTime),
      lastRefreshedAt: { ...nullable(isoTime), description: 'Issue time of the newest rotated refresh token; null if never refreshed or not rotating.' },
      refreshTokens: { type: 'integer', minimum: 0 },
    },
  },
  Session: {
    type: 'object',
    required: ['id', 'loginAt', 'expiresAt', 'clients', 'amr', 'acr'],
    properties: {
      id: { type: 'string', description: 'Opaque handle (a hash of the session id).' },
      loginAt: nullable(isoTime),
      expiresAt: nullable(isoTime),
      clients: { type: 'array', items: { type: 'object', properties: { clientId: { type: 'string' }, grantId: { type: ['string', 'null'] } } } },
      amr: { type: 'array', items: { type: 'string' } },
      acr: { type: ['string', 'null'] },
    },
  },
  SubjectRevocation: {
    type: 'object',
    required: ['accountId', 'grants', 'sessions', 'before', 'denylistIds'],
    properties: {
      accountId: { type: 'string' },
      grants: { type: 'array', items: { type: 'string' }, description: 'Ids of the grants revoked.' },
      sessions: { type: 'integer', description: 'Sessions ended.' },
      before: { type: 'integer', description: 'Unix seconds: access tokens issued before this are refused.' },
      denylistIds: { type: 'array', items: { type: 'string' }, description: 'Denylist stream ids written (acknowledged by Redis before the response).' },
    },
  },
  AuditEntry: {
    type: 'object',
    required: ['id', 'time', 'actor', 'action', 'target', 'status', 'ip', 'requestId', 'reason', 'details'],
    properties: {
      id: { type: 'string', description: 'Stream id; also a paging cursor.' },
      time: isoTime,
      actor: { type: 'object', required: ['kind', 'id'], properties: { kind: { type: 'string', enum: ['client', 'account', 'operator', 'system'] }, id: { type: 'string' }, clientId: { type: 'string' } } },
      action: { type: 'string', examples: ['grant.revoke', 'account.disable'] },
      target: nullable({ type: 'object', required: ['type', 'id'], properties: { type: { type: 'string' }, id: { type: 'string' } } }),
      status: { type: 'integer' },
      ip: { type: ['string', 'null'] },
      requestId: { type: ['string', 'null'] },
      reason: { type: ['string', 'null'] },
      details: { type: 'object' },
    },
  },
};

const paths: Json = {
  '/openapi.json': {
    get: { summary: 'This document (no token needed).', security: [], responses: { '200': { description: 'OpenAPI 3.1 document.', content: json({ type: 'object' }) } } },
  },
  '/accounts': {
    get: operation('List accounts.', { '200': { description: 'Every account, by username.', content: json({ type: 'object', properties: { accounts: { type: 'array', items: ref('Account') } } }) } }),
    post: operation(
      'Create an account.',
      {
        '201': { description: 'Created; `Location` names it.', content: json(ref('Account')) },
        '400': error('Invalid body (`ERR_ADMIN_VALIDATION`, `ERR_ADMIN_MALFORMED_BODY`).'),
        '409': error('Username taken (`ERR_ADMIN_CONFLICT`).'),
      },
      { requestBody: { required: true, content: json(ref('NewAccount')) } },
    ),
  },
  '/accounts/{accountId}': {
    get: operation('Read one account.', { '200': { description: 'The account.', content: json(ref('Account')) }, '404': error('No such account.') }, { parameters: [accountIdParameter] }),
  },
  '/accounts/{accountId}/disable': {
    post: operation(
      'Disable an account and revoke all its grants, sessions and access tokens.',
      {
        '200': { description: 'Disabled; returns after the denylist entries are durable.', content: json({ type: 'object', properties: { account: ref('Account'), revoked: { type: 'object' } } }) },
        '404': error('No such account.'),
      },
      { parameters: [accountIdParameter], requestBody: reasonBody },
    ),
  },
  '/accounts/{accountId}/enable': {
    post: operation('Enable a disabled account.', { '200': { description: 'The account.', content: json(ref('Account')) }, '404': error('No such account.') }, { parameters: [accountIdParameter], requestBody: reasonBody }),
  },
  '/accounts/{accountId}/grants': {
    get: operation('List the account\'s live grants, newest first.', { '200': { description: 'Grants.', content: json({ type: 'object', properties: { grants: { type: 'array', items: ref('Grant') } } }) }, '404': error('No such account.') }, { parameters: [accountIdParameter] }),
  },
  '/accounts/{accountId}/sessions': {
    get: operation('List the account\'s live sessions, newest login first.', { '200': { description: 'Sessions.', content: json({ type: 'object', properties: { sessions: { type: 'array', items: ref('Session') } } }) }, '404': error('No such account.') }, { parameters: [accountIdParameter] }),
  },
  '/accounts/{accountId}/revoke': {
    post: operation(
      'Sign the account out everywhere: revoke every grant and session, denylist its access tokens.',
      { '200': { description: 'Revoked; returns after the denylist entries are durable.', content: json(ref('SubjectRevocation')) }, '404': error('No such account.') },
      { parameters: [accountIdParameter], requestBody: reasonBody },
    ),
  },
  '/grants/{grantId}/revoke': {
    post: operation(
      'Revoke one grant: its refresh tokens die and its access tokens are denylisted.',
      {
        '200': {
          description: 'Revoked; returns after the denylist entry is durable.',
          content: json({ type: 'object', required: ['grantId', 'denylistId'], properties: { grantId: { type: 'string' }, accountId: { type: ['string', 'null'] }, clientId: { type: ['string', 'null'] }, denylistId: { type: 'string' } } }),
        },
        '404': error('No such grant.'),
      },
      { parameters: [grantIdParameter], requestBody: reasonBody },
    ),
  },
  '/tokens/revoke': {
    post: operation(
      'Denylist one access token by its jti.',
      { '200': { description: 'Denylisted; returns after the entry is durable.', content: json({ type: 'object', properties: { jti: { type: 'string' }, denylistId: { type: 'string' } } }) }, '400': error('Invalid body.') },
      {
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['jti'],
            properties: { jti: { type: 'string', maxLength: 256 }, expiresAt: { type: 'integer', description: "The token's exp (unix seconds)." }, reason: { type: 'string', maxLength: 500 } },
          }),
        },
      },
    ),
  },
  '/audit': {
    get: operation(
      'Read the audit log, newest first.',
      {
        '200': { description: 'One page.', content: json({ type: 'object', required: ['entries', 'nextCursor'], properties: { entries: { type: 'array', items: ref('AuditEntry') }, nextCursor: { type: ['string', 'null'] } } }) },
        '400': error('Invalid query.'),
      },
      {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The previous page\'s nextCursor.' },
        ],
      },
    ),
  },
};

/**
 * The document for an issuer (its token endpoint appears in the client-credentials flow).
 *
 * @example
 * ```ts
 * ctx.body = openApiDocument('https://id.example.com');
 * ```
 */
export function openApiDocument(issuer: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portcullis admin API',
      version: '1.0.0',
      description: `Revoke grants and sessions, manage accounts, read the audit log. Every call but this document needs a JWT access token issued by this provider for the resource \`${ADMIN_RESOURCE}\` with scope \`${ADMIN_SCOPE}\`.`,
    },
    servers: [{ url: `${issuer.replace(/\/$/, '')}/admin/v1` }],
    components: {
      securitySchemes: {
        adminToken: {
          type: 'oauth2',
          description: `Request resource=${ADMIN_RESOURCE} and scope=${ADMIN_SCOPE}; only admin clients (configured \`admin: true\`) and, for people, enabled admin accounts are accepted.`,
          flows: { clientCredentials: { tokenUrl: `${issuer.replace(/\/$/, '')}/token`, scopes: { [ADMIN_SCOPE]: 'Administer Portcullis' } } },
        },
      },
      schemas,
    },
    paths,
  };
}
