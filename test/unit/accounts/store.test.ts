// AccountStore on the embedded development store (ioredis-mock).
import { createMemoryRedis } from '../../../src/store/connect.ts';
import { accountStoreSuite } from './account-store.suite.ts';

accountStoreSuite('the embedded store', () => createMemoryRedis());
