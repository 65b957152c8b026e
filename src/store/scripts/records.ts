// Lua for single-key record work. A record is a hash: `payload` (the JSON, opaque to Lua, so no
// cjson is needed: the embedded store has none) and `consumed` (epoch seconds, once consumed).

/** Lua helper shared by the write scripts: replace a record and give it its TTL ('' = none). */
export const WRITE_RECORD_FN = `
local function write_record(key, payload, consumed, ttl)
  redis.call('DEL', key)
  redis.call('HSET', key, 'payload', payload)
  if consumed ~= '' then redis.call('HSET', key, 'consumed', consumed) end
  if ttl ~= '' then redis.call('PEXPIRE', key, ttl) end
end
`;

/** KEYS: record. ARGV: payload, consumed or '', ttl ms or ''. */
export const WRITE_RECORD = `${WRITE_RECORD_FN}
write_record(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return 1
`;

/**
 * KEYS: record. ARGV: now (epoch seconds).
 * Returns 0: no such record (an expired one is never recreated), 1: consumed by this call,
 * 2: already consumed (the first timestamp stays). HSETNX on a live key keeps its TTL.
 */
export const CONSUME_RECORD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 1 end
return 2
`;

/** KEYS: record. Deletes it and returns its payload ('' when there was none). */
export const TAKE_RECORD = `
local payload = redis.call('HGET', KEYS[1], 'payload')
redis.call('DEL', KEYS[1])
return payload or ''
`;

/** KEYS: key. ARGV: expected value. Deletes the key only while it still holds that value. */
export const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
