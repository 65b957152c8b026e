// Lua for refresh-token families. Every key a script touches carries the grant's hash tag
// (family, grace entry, lock, grant index, revoked marker), so each call is atomic on one slot of
// a Redis Cluster. No cjson: the embedded development store has none, so JSON stays opaque here.
//
// A family is one string, `h|c|g|e|t|ph|pt|p`: h hash of the current token, c client id, g its
// generation, e its exp (unix seconds), t when it was issued (epoch ms), ph hash of the previous
// token, pt when that one was issued, p the current token's payload JSON (last, so it may hold
// any character; the others never contain `|`). A string rather than a hash: the payload is
// longer than a small hash may hold, and a large hash costs Redis about twice the bytes.

const FAMILY_FNS = `
local function read_family(key)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local h, c, g, e, t, ph, pt, p = string.match(raw, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  return {h = h, c = c, g = g, e = e, t = t, ph = ph, pt = pt, p = p}
end
local function write_family(key, f, ttl)
  redis.call('SET', key, table.concat({f.h, f.c, f.g, f.e, f.t, f.ph, f.pt, f.p}, '|'), 'PX', ttl)
end
-- The grant index must outlive its longest member (the family TTL slides with every refresh).
local function keep_indexed(index, member, ttl)
  redis.call('SADD', index, member)
  if redis.call('PTTL', index) < tonumber(ttl) then redis.call('PEXPIRE', index, ttl) end
end
`;

/**
 * KEYS: family, lock, grace entry. ARGV: presented token hash, client id, lock owner ('' = take
 * no lock), lock TTL ms.
 * Returns {status, g, e, p, t, pt} with status one of missing | client | busy | current |
 * grace | expired (the previous token, its grace entry gone) | superseded (anything else).
 */
export const BEGIN = `${FAMILY_FNS}
local f = read_family(KEYS[1])
if not f then return {'missing'} end
if f.c ~= ARGV[2] then return {'client'} end
local status
if f.h == ARGV[1] then
  status = 'current'
  if ARGV[3] ~= '' and not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {'busy'} end
elseif f.ph == ARGV[1] then
  if redis.call('EXISTS', KEYS[3]) == 1 then status = 'grace' else status = 'expired' end
else
  status = 'superseded'
end
return {status, f.g, f.e, f.p, f.t, f.pt}
`;

/**
 * KEYS: family, grant index, revoked marker. ARGV: hash, client id, generation, exp, payload,
 * now ms, ttl ms. Starts a family (the first refresh token of an authorization). Returns 0 when
 * the grant was revoked meanwhile, else 1.
 */
export const CREATE = `${FAMILY_FNS}
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
write_family(KEYS[1], {h = ARGV[1], c = ARGV[2], g = ARGV[3], e = ARGV[4], t = ARGV[6], ph = '', pt = '', p = ARGV[5]}, ARGV[7])
keep_indexed(KEYS[2], KEYS[1], ARGV[7])
return 1
`;

/**
 * KEYS: family, grace entry, lock, grant index, revoked marker.
 * ARGV: old hash, new hash, generation, exp, payload, now ms, ttl ms, sealed entry, grace ms,
 * lock owner.
 * Compare-and-swap: rotates only while the old token is still current, so even a winner whose
 * lock expired cannot fork the family. Returns 1 when rotated, 0 when not.
 */
export const COMMIT_ROTATION = `${FAMILY_FNS}
if redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
local f = read_family(KEYS[1])
if not f or f.h ~= ARGV[1] then return 0 end
write_family(KEYS[1], {h = ARGV[2], c = f.c, g = ARGV[3], e = ARGV[4], t = ARGV[6], ph = f.h, pt = f.t, p = ARGV[5]}, ARGV[7])
if tonumber(ARGV[9]) > 0 then
  redis.call('SET', KEYS[2], ARGV[8], 'PX', ARGV[9])
else
  redis.call('DEL', KEYS[2])
end
if redis.call('GET', KEYS[3]) == ARGV[10] then redis.call('DEL', KEYS[3]) end
keep_indexed(KEYS[4], KEYS[1], ARGV[7])
return 1
`;

/**
 * KEYS: family, grant index. ARGV: hash, exp, ttl ms.
 * Slides the idle timeout of a family whose client does not rotate. Returns 1 when touched.
 */
export const TOUCH = `${FAMILY_FNS}
local f = read_family(KEYS[1])
if not f or f.h ~= ARGV[1] then return 0 end
f.e = ARGV[2]
write_family(KEYS[1], f, ARGV[3])
keep_indexed(KEYS[2], KEYS[1], ARGV[3])
return 1
`;

/** KEYS: lock. ARGV: owner. Releases the lock only if this owner still holds it. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS: family, grace entry, grant index. ARGV: hash.
 * Ends a family whose current token is this one (RFC 7009 revocation). Returns 1 when ended.
 */
export const DESTROY = `${FAMILY_FNS}
local f = read_family(KEYS[1])
if not f or f.h ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], KEYS[1])
return 1
`;
