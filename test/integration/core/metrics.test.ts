// The Prometheus listener exposes request latency by route and provider events, on its own port.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Server } from 'node:http';
import { startPortcullis, type RunningPortcullis, SERVICE_SECRET, API } from '../../helpers/portcullis.ts';

let op: RunningPortcullis;
let metricsServer: Server;
let metricsUrl: string;

beforeAll(async () => {
  op = await startPortcullis({ redisUrl: inject('redisUrl') });
  metricsServer = await op.metrics.listen(0, '127.0.0.1');
  const address = metricsServer.address();
  metricsUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/metrics`;
});

afterAll(async () => {
  metricsServer.close();
  await op.close();
});

describe('metrics', () => {
  it('counts requests by route and issued client-credentials tokens', async () => {
    await fetch(`${op.issuer}/.well-known/openid-configuration`);
    const token = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`service:${SERVICE_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API, scope: 'orders:read' }),
    });
    expect(token.status).toBe(200);
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toMatch(/portcullis_http_request_duration_seconds_count\{route="\/\.well-known\/openid-configuration",method="GET",status="2xx"\} 1/);
    expect(text).toMatch(/portcullis_provider_events_total\{event="client_credentials\.issued"\} 1/);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });
});
