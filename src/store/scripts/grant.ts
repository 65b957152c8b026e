// Lua for the records of one grant. Every key these scripts touch carries the grant's hash tag:
// the record, index and marker arrive in KEYS; the index members they read were themselves built
// by grantRecord(model, grantId, id), so they hash to the same slot (Redis Cluster allows a script
// to touch undeclared keys of its own slot; it refuses other slots).
import { WRITE_RECORD_FN } from './records.ts';

// Drops members whose record is gone (expired or deleted) and gives the index the TTL of its
// longest-lived member, so a grant that rotates tokens for months keeps a small index.
const REFRESH_INDEX_FN = `
local function refresh_index(index)
  local longest = 0
  for _, member in ipairs(redis.call('SMEMBERS', index)) do
    local ttl = redis.call('PTTL', member)
    if ttl == -2 then
      redis.call('SREM', index, member)
    elseif ttl > longest then
      longest = ttl
    end
  end
  if longest > 0 then redis.call('PEXPIRE', index, longest) else redis.call('DEL', index) end
end
`;

/**
 * KEYS: record, grant index, revoked marker. ARGV: payload, consumed or '', ttl ms.
 * Returns 0 (nothing written) when the grant is revoked, else 1.
 */
export const WRITE_GRANT_MEMBER = `${WRITE_RECORD_FN}${REFRESH_INDEX_FN}
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
write_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[2], KEYS[1])
refresh_index(KEYS[2])
return 1
`;

/** KEYS: Grant record, revoked marker. ARGV: payload, ttl ms. Returns 0 when revoked, else 1. */
export const WRITE_GRANT = `${WRITE_RECORD_FN}
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
write_record(KEYS[1], ARGV[1], '', ARGV[2])
return 1
`;

/** KEYS: record, grant index. Deletes the record, unlists it, returns its payload or ''. */
export const DESTROY_GRANT_MEMBER = `${REFRESH_INDEX_FN}
local payload = redis.call('HGET', KEYS[1], 'payload')
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], KEYS[1])
refresh_index(KEYS[2])
return payload or ''
`;

/**
 * KEYS: grant index, Grant record, revoked marker. ARGV: marker TTL floor (ms).
 * Deletes every member, the Grant and the index, and marks the grant revoked for at least as long
 * as anything of it could still be written (never shortening an earlier marker). Returns the
 * number of records deleted.
 */
export const REVOKE_GRANT = `
local keep = tonumber(ARGV[1])
for _, key in ipairs({KEYS[3], KEYS[1], KEYS[2]}) do
  local ttl = redis.call('PTTL', key)
  if ttl > keep then keep = ttl end
end
local removed = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  removed = removed + redis.call('DEL', member)
end
removed = removed + redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[3], '1', 'PX', keep)
return removed
`;
