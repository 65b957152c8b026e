// Keeps the admin API's documentation honest: the README's error table is the catalogue, its route
// table is the route table, and the OpenAPI document describes exactly the routes and error codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN_ERROR_CODES } from '../../../src/admin/errors.ts';
import { adminRouteTable, type AdminDependencies } from '../../../src/admin/index.ts';
import { openApiDocument } from '../../../src/admin/openapi.ts';

const readme = readFileSync(new URL('../../../src/admin/README.md', import.meta.url), 'utf8');
// Only the route metadata is read here; handlers never run, so their dependencies can be absent.
const routes = adminRouteTable({ config: { issuer: 'https://id.example.test' } } as unknown as AdminDependencies);
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('admin README', () => {
  it('lists every error code with its status and meaning, and nothing else', () => {
    const rows = [...readme.matchAll(/^\| `(ERR_ADMIN_\w+)` \| (\d{3}) \| (.+) \|$/gm)].map(([, code, status, meaning]) => ({ code, status: Number(status), meaning }));
    const catalogue = Object.entries(ADMIN_ERROR_CODES).map(([code, { status, meaning }]) => ({ code, status, meaning }));
    expect(rows).toEqual(catalogue);
  });

  it('lists every route with its audit action, and nothing else', () => {
    const rows = [...readme.matchAll(/^\| (GET|POST) \| `([^`?]+)(?:\?[^`]*)?` \| `([\w.]+)` \|/gm)].map(([, method, path, action]) => `${method} ${path} ${action}`);
    const table = routes.filter((route) => route.action !== null).map((route) => `${route.method.toUpperCase()} ${toOpenApiPath(route.path)} ${route.action}`);
    expect(rows.sort()).toEqual(table.sort());
  });
});

describe('admin OpenAPI document', () => {
  const document = openApiDocument('https://id.example.test') as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: { Error: { properties: { code: { enum: string[] } } } } } };

  it('is OpenAPI 3.1 and describes exactly the routes', () => {
    expect(document.openapi).toBe('3.1.0');
    const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    const table = routes.map((route) => `${route.method} ${toOpenApiPath(route.path)}`);
    expect(described.sort()).toEqual(table.sort());
  });

  it('names exactly the catalogue’s error codes', () => {
    expect(document.components.schemas.Error.properties.code.enum).toEqual(Object.keys(ADMIN_ERROR_CODES));
  });

  it('requires the admin token everywhere except on itself', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const operation of Object.values(operations) as { security: unknown[] }[]) {
        expect(operation.security).toEqual(path === '/openapi.json' ? [] : [{ adminToken: [] }]);
      }
    }
  });
});
