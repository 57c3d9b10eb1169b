package io.weft.core.events.impl;

/**
 * The Lua scripts that make each step of consuming a stream one atomic operation in Redis. Each
 * touches only the keys it is given. Replies are RESP2 arrays (see {@link Replies}).
 */
public final class Scripts {

  private Scripts() {
  }

  /**
   * KEYS[1] the stream; ARGV group, consumer, min idle ms, start id, count. Takes over entries
   * idle for at least min idle ms ({@code XAUTOCLAIM}, which counts a delivery) and returns
   * {@code {next start id, {{id, deliveries, fields}, ...}}}.
   */
  public static final Script AUTOCLAIM = new Script("""
      local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
      local out = {}
      for _, e in ipairs(r[2]) do
        if e[2] then
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
          local n = 1
          if p[1] then n = p[1][4] end
          out[#out + 1] = {e[1], n, e[2]}
        end
      end
      return {r[1], out}
      """);

  /**
   * KEYS[1] the stream; ARGV group, consumer, ids... Resets the idle time of each id still pending
   * for this consumer ({@code XCLAIM ... JUSTID}, which counts no delivery), so that no other
   * consumer takes over what it is working on; returns the ids it no longer owns.
   */
  public static final Script EXTEND = new Script("""
      local mine = {}
      local lost = {}
      for i = 3, #ARGV do
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
        if p[1] and p[1][2] == ARGV[2] then
          mine[#mine + 1] = ARGV[i]
        else
          lost[#lost + 1] = ARGV[i]
        end
      end
      if #mine > 0 then
        mine[#mine + 1] = 'JUSTID'
        redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(mine))
      end
      return lost
      """);

  /**
   * KEYS[1] the stream, KEYS[2] the group's dead-letter stream; ARGV group, id, dead-letter max
   * length, reason, attempts, consumer, dead at (ms), delete ('1': also delete the entry from the
   * stream, as persistent calls are). Copies the entry (without the dead-letter fields of an
   * earlier death) with why and when, and acknowledges it; returns 1, or 0 when the entry was gone.
   */
  public static final Script DEAD_LETTER = new Script("""
      local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
      local added = 0
      if #e > 0 and e[1][2] then
        local f = e[1][2]
        local args = {KEYS[2], 'MAXLEN', '~', ARGV[3], '*'}
        for i = 1, #f, 2 do
          local n = f[i]
          if n ~= 'origin' and n ~= 'reason' and n ~= 'attempts' and n ~= 'consumer' and n ~= 'deadAt' then
            args[#args + 1] = n
            args[#args + 1] = f[i + 1]
          end
        end
        for _, v in ipairs({'origin', ARGV[2], 'reason', ARGV[4], 'attempts', ARGV[5], 'consumer', ARGV[6], 'deadAt', ARGV[7]}) do
          args[#args + 1] = v
        end
        redis.call('XADD', unpack(args))
        added = 1
      end
      redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      if ARGV[8] == '1' then
        redis.call('XDEL', KEYS[1], ARGV[2])
      end
      return added
      """);

  /**
   * KEYS[1] a dead-letter stream, KEYS[2] the stream it came from; ARGV dead-letter id, group, max
   * length ('0': no trimming). Appends the entry to the stream again, for {@code group} only,
   * marked as a replay of its origin, and deletes the dead letter; returns the new id, or nil.
   */
  public static final Script REPLAY = new Script("""
      local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
      if #e == 0 or not e[1][2] then
        return false
      end
      local f = e[1][2]
      local origin = ''
      local args = {KEYS[2]}
      if ARGV[3] ~= '0' then
        args = {KEYS[2], 'MAXLEN', '~', ARGV[3]}
      end
      args[#args + 1] = '*'
      for i = 1, #f, 2 do
        local n = f[i]
        if n == 'origin' then
          origin = f[i + 1]
        elseif n ~= 'reason' and n ~= 'attempts' and n ~= 'consumer' and n ~= 'deadAt' and n ~= 'group' and n ~= 'replayOf' then
          args[#args + 1] = n
          args[#args + 1] = f[i + 1]
        end
      end
      for _, v in ipairs({'group', ARGV[2], 'replayOf', origin}) do
        args[#args + 1] = v
      end
      local id = redis.call('XADD', unpack(args))
      redis.call('XDEL', KEYS[1], ARGV[1])
      return id
      """);

  /**
   * KEYS[1] the stream, KEYS[2] the call's marker; ARGV ttl seconds, then field, value, ... Stores
   * a persistent call unless its message id is remembered; returns {@code {1, entry id}}, or
   * {@code {0, what the marker holds}} for a duplicate.
   */
  public static final Script STORE_CALL = new Script("""
      local existing = redis.call('GET', KEYS[2])
      if existing then
        return {0, existing}
      end
      local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
      redis.call('SET', KEYS[2], id, 'EX', ARGV[1])
      return {1, id}
      """);

  /**
   * KEYS[1] the stream, KEYS[2] the call's marker; ARGV group, id, ttl seconds. Records that the
   * call ran ('done', remembered for the ttl), acknowledges it and deletes it from the stream.
   */
  public static final Script COMPLETE_CALL = new Script("""
      redis.call('SET', KEYS[2], 'done', 'EX', ARGV[3])
      redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      redis.call('XDEL', KEYS[1], ARGV[2])
      return 1
      """);

  /**
   * KEYS[1] the stream; ARGV group, consumer, min idle ms of others' entries, most to claim, then
   * the ids the consumer is working on. The takeover of an ordered subscription by the lease's new
   * holder: when another consumer still has an entry pending that is not idle for min idle ms, it
   * may be working on it, and nothing is claimed: {@code {0, its consumer, its id}}. Otherwise the
   * pending entries not being worked on, in id order, are claimed (a delivery each):
   * {@code {1, {{id, deliveries, fields}, ...}, complete}}, complete 1 when nothing else is pending.
   */
  public static final Script TAKEOVER = new Script("""
      local held = {}
      for i = 5, #ARGV do
        held[ARGV[i]] = true
      end
      local limit = tonumber(ARGV[4])
      local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', limit + #ARGV - 4)
      local minIdle = tonumber(ARGV[3])
      for _, p in ipairs(pending) do
        if p[2] ~= ARGV[2] and p[3] < minIdle then
          return {0, p[2], p[1]}
        end
      end
      local out = {}
      local complete = 1
      for _, p in ipairs(pending) do
        if not held[p[1]] then
          if #out >= limit then
            complete = 0
            break
          end
          local e = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, p[1])
          if #e > 0 and e[1] and e[1][2] then
            out[#out + 1] = {p[1], p[4] + 1, e[1][2]}
          else
            redis.call('XACK', KEYS[1], ARGV[1], p[1])
          end
        end
      end
      if #pending >= limit + #ARGV - 4 then
        complete = 0
      end
      return {1, out, complete}
      """);

  /** KEYS[1] the lease; ARGV token, ms. Extends the lease if this token holds it; returns 1 if so. */
  public static final Script RENEW_LEASE = new Script("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """);

  /** KEYS[1] the lease; ARGV token. Gives the lease up if this token holds it. */
  public static final Script RELEASE_LEASE = new Script("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /**
   * KEYS[1] the stream; ARGV group, min idle ms. Deletes the group's consumers that have nothing
   * pending and were idle for min idle ms (instances gone for good); returns how many. A consumer
   * deleted while alive comes back with its next read.
   */
  public static final Script FORGET_CONSUMERS = new Script("""
      local gone = 0
      for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
        local info = {}
        for i = 1, #c, 2 do
          info[c[i]] = c[i + 1]
        end
        if info['pending'] == 0 and info['idle'] >= tonumber(ARGV[2]) then
          redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
          gone = gone + 1
        end
      end
      return gone
      """);
}
