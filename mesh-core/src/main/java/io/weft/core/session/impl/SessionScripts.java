package io.weft.core.session.impl;

/**
 * The Lua scripts that make each directory operation one atomic step in Redis: a read and the
 * write that depends on it can never interleave with another gate's. Each script touches only the
 * keys it is given in {@code KEYS}, as Redis requires.
 * <p>
 * Bindings read through {@code binding(key)}, which lets only a well-formed hash count (the same
 * rule as {@link SessionKeys#parse}), and hands back missing fields as {@code ''}: a Lua
 * {@code false} would turn into a different reply under RESP2 and RESP3, and would end a table.
 */
public final class SessionScripts {

  private static final String BINDING = """
      local function binding(key)
        if redis.call('TYPE', key).ok ~= 'hash' then
          return nil
        end
        local v = redis.call('HMGET', key, 'gate', 'conn', 'at')
        if v[1] and v[1] ~= '' and v[2] and v[2] ~= '' and v[3] and #v[3] <= 18 and string.match(v[3], '^%d+$') then
          return v
        end
        return nil
      end
      """;

  /**
   * KEYS[1] the client id's key; ARGV gate, conn, at, ttl seconds. Replaces whatever the key held
   * (a damaged entry included, stray fields and all) and returns the binding it replaced as
   * {gate, conn, at}, all {@code ''} when there was none.
   */
  public static final LuaScript BIND = new LuaScript(BINDING + """
      local old = binding(KEYS[1]) or {'', '', ''}
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'gate', ARGV[1], 'conn', ARGV[2], 'at', ARGV[3])
      redis.call('EXPIRE', KEYS[1], ARGV[4])
      return old
      """);

  /**
   * KEYS[1] the client id's key; ARGV[1] the connection. Deletes the hash only when its conn is
   * that connection (even if another field is damaged: the connection owns it); returns 1 if it did.
   */
  public static final LuaScript UNBIND = new LuaScript("""
      if redis.call('TYPE', KEYS[1]).ok == 'hash' and redis.call('HGET', KEYS[1], 'conn') == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /**
   * KEYS the client ids' keys; ARGV[1] the TTL in seconds, ARGV[i + 1] the connection KEYS[i] must
   * point at. Restarts the TTL of each well-formed binding of its connection; returns 1 or 0 per key.
   * A damaged entry is not refreshed, so the gate learns it must bind again.
   */
  public static final LuaScript REFRESH = new LuaScript(BINDING + """
      local out = {}
      for i, key in ipairs(KEYS) do
        local b = binding(key)
        if b and b[2] == ARGV[i + 1] then
          redis.call('EXPIRE', key, ARGV[1])
          out[i] = 1
        else
          out[i] = 0
        end
      end
      return out
      """);

  /** KEYS the client ids' keys. Returns gate, conn, at for each key in turn, all {@code ''} for no binding. */
  public static final LuaScript LOOKUP = new LuaScript(BINDING + """
      local out = {}
      for _, key in ipairs(KEYS) do
        local b = binding(key) or {'', '', ''}
        out[#out + 1] = b[1]
        out[#out + 1] = b[2]
        out[#out + 1] = b[3]
      end
      return out
      """);

  private SessionScripts() {
  }
}
