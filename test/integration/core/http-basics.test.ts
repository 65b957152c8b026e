// The app's own small endpoints and headers, driven in process through supertest (no port).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPortcullis, type RunningPortcullis } from '../../helpers/portcullis.ts';

let op: RunningPortcullis;
let agent: ReturnType<typeof request>;

beforeAll(async () => {
  op = await startPortcullis({ redisUrl: inject('redisUrl') });
  agent = request(op.app.callback());
});

afterAll(async () => {
  await op.close();
});

describe('health', () => {
  it('answers liveness and readiness (the store answers PING)', async () => {
    await agent.get('/healthz').expect(200, { status: 'ok' });
    await agent.get('/readyz').expect(200, { status: 'ok', store: 'ok' });
  });
});

describe('static assets', () => {
  it('serves the one stylesheet with a cache lifetime, and nothing else under /static', async () => {
    const css = await agent.get('/static/portcullis.css').expect(200).expect('content-type', /text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(css.text).toContain('.card');
    await agent.head('/static/portcullis.css').expect(200);
    await agent.get('/static/../package.json').expect(404);
    await agent.post('/static/portcullis.css').expect(404);
  });
});

describe('security headers', () => {
  it('are on provider responses too, not only on our pages', async () => {
    const response = await agent.get('/.well-known/openid-configuration').expect(200);
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('keep development HSTS off (plain http issuer) so localhost stays usable', async () => {
    const response = await agent.get('/healthz');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});
