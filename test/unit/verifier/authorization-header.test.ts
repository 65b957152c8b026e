import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../../src/verifier/middleware/authorization-header.ts';

describe('parseAuthorization', () => {
  it.each([
    [undefined, undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer abc.def-_~+/=', { scheme: 'Bearer', token: 'abc.def-_~+/=' }],
    ['bearer abc', { scheme: 'Bearer', token: 'abc' }],
    ['DPoP abc', { scheme: 'DPoP', token: 'abc' }],
    ['Bearer', { scheme: 'Bearer', token: undefined }],
    ['Bearer a b', { scheme: 'Bearer', token: undefined }],
    ['Bearer a"b', { scheme: 'Bearer', token: undefined }],
  ])('%s', (header, expected) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});
