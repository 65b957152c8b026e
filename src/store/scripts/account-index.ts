// Lua for the per-account sorted sets (member: grant or session id, score: its expiry in ms).

/**
 * KEYS: account index. ARGV: member, expires at (epoch ms), now (epoch ms).
 * Adds or refreshes the member, drops expired ones, and lets the set live exactly as long as its
 * latest member.
 */
export const ADD_TO_ACCOUNT_INDEX = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ttl = 0
if last[2] then ttl = math.ceil(tonumber(last[2]) - tonumber(ARGV[3])) end
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('DEL', KEYS[1]) end
return ttl
`;
