package io.weft.examples.chat;

import io.vertx.core.shareddata.Shareable;
import io.weft.core.Code;
import io.weft.core.MeshException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rooms of one {@code demo/chat} instance: members and the last lines of each, bounded in
 * every direction (rooms, members, lines) so that no client can grow it without limit. Shared by
 * the instance's verticles (handlers and ordered workers run on several threads), hence
 * synchronized; a demo keeps it in memory, a real chat in a store both instances see.
 */
final class ChatRooms implements Shareable {

  static final int MAX_ROOMS = 100;
  static final int MAX_MEMBERS = 200;
  static final int HISTORY = 50;

  private final Map<String, Room> rooms = new HashMap<>();

  private static final class Room {
    final Set<String> members = new LinkedHashSet<>();
    final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    long seq;
  }

  /** What a join sees: the members, the join's own line (null if already a member), and the last lines, it included. */
  record Joined(List<String> members, ChatMessage line, List<ChatMessage> history) {
  }

  /** A line and who to push it to. */
  record Posted(ChatMessage line, List<String> members) {
  }

  synchronized Joined join(String room, String user, long now) {
    Room r = rooms.get(room);
    if (r == null) {
      if (rooms.size() >= MAX_ROOMS) {
        throw MeshException.quiet(Code.RESOURCE_EXHAUSTED, "too many rooms: " + MAX_ROOMS);
      }
      r = new Room();
      rooms.put(room, r);
    }
    ChatMessage line = null;
    if (!r.members.contains(user)) {
      if (r.members.size() >= MAX_MEMBERS) {
        throw MeshException.quiet(Code.RESOURCE_EXHAUSTED, "room " + room + " is full: " + MAX_MEMBERS + " members");
      }
      r.members.add(user);
      line = append(r, room, user, "joined", "join", now);
    }
    return new Joined(List.copyOf(r.members), line, List.copyOf(r.history));
  }

  synchronized List<String> leave(String room, String user) {
    Room r = rooms.get(room);
    if (r == null || !r.members.remove(user)) {
      return List.of();
    }
    return List.copyOf(r.members);
  }

  /** Appends a line by a member; fails with 9 when {@code user} has not joined {@code room}. */
  synchronized Posted post(String room, String user, String text, String kind, long now) {
    Room r = rooms.get(room);
    if (r == null || !r.members.contains(user)) {
      throw MeshException.quiet(Code.FAILED_PRECONDITION, user + " has not joined " + room);
    }
    return new Posted(append(r, room, user, text, kind, now), List.copyOf(r.members));
  }

  synchronized boolean isMember(String room, String user) {
    Room r = rooms.get(room);
    return r != null && r.members.contains(user);
  }

  private static ChatMessage append(Room r, String room, String user, String text, String kind, long now) {
    ChatMessage line = new ChatMessage(room, ++r.seq, user, text, kind, now);
    r.history.addLast(line);
    if (r.history.size() > HISTORY) {
      r.history.removeFirst();
    }
    return line;
  }
}
