import { describe, expect, it } from 'vitest';
import { ClaimInvalidError, InsufficientScopeError, VerifierError } from '../../../src/verifier/errors.ts';
import { challengeFor } from '../../../src/verifier/middleware/challenge.ts';

describe('challengeFor', () => {
  it('keeps quoted values within RFC 6750 characters', () => {
    const error = new VerifierError('ERR_TOKEN_MALFORMED', 'bad "quote" \\ and\nnewline');
    expect(challengeFor(error, 'Bearer', ['ES256']).headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="bad quote  andnewline"',
    );
  });

  it('names the claim and the required scopes', () => {
    expect(challengeFor(new ClaimInvalidError('aud', 'check_failed'), 'Bearer', ['ES256']).body.error_description).toBe('the aud claim is invalid');
    expect(challengeFor(new InsufficientScopeError(['a', 'b']), 'DPoP', ['ES256']).headers['www-authenticate']).toBe(
      'DPoP error="insufficient_scope", error_description="the access token lacks a required scope", scope="a b", algs="ES256"',
    );
  });
});
