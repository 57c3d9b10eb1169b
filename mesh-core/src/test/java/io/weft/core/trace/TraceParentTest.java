package io.weft.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceParentTest {

  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aValidTraceparentIsKeptAndTakenApart() {
    assertThat(TraceParent.isValid(VALID)).isTrue();
    assertThat(TraceParent.continueOrStart(VALID)).isSameAs(VALID);
    assertThat(TraceParent.traceId(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceParent.parentId(VALID)).isEqualTo("00f067aa0ba902b7");
    assertThat(TraceParent.sampled(VALID)).isTrue();
    assertThat(TraceParent.sampled(VALID.substring(0, 53) + "00")).isFalse();
  }

  @Test
  void aLaterVersionIsReadAsVersion00() {
    String later = "01" + VALID.substring(2) + "-whatever-comes-next";
    assertThat(TraceParent.isValid(later)).isTrue();
    assertThat(TraceParent.continueOrStart(later)).isEqualTo(VALID);
    assertThat(TraceParent.isValid("01" + VALID.substring(2) + "x")).as("more only after a dash").isFalse();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "trace-1", VALID + "-", VALID + "0",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x"})
  void anythingElseIsMalformedAndStartsANewSampledTrace(String malformed) {
    assertThat(TraceParent.isValid(malformed)).isFalse();
    assertThat(TraceParent.traceId(malformed)).isNull();
    String started = TraceParent.continueOrStart(malformed);
    assertThat(TraceParent.isValid(started)).as(started).isTrue();
    assertThat(TraceParent.sampled(started)).isTrue();
  }

  @Test
  void newTracesAreValidAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String t = TraceParent.start(i % 2 == 0);
      assertThat(TraceParent.isValid(t)).as(t).isTrue();
      assertThat(t).hasSize(TraceParent.LENGTH).startsWith("00-");
      assertThat(TraceParent.sampled(t)).isEqualTo(i % 2 == 0);
      seen.add(TraceParent.traceId(t));
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void logsShowTheTraceIdOrACutDownForeignValue() {
    assertThat(CallLogger.traceId(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(CallLogger.traceId("req-7")).isEqualTo("req-7");
    assertThat(CallLogger.traceId("x".repeat(1000))).hasSize(64);
    assertThat(CallLogger.traceId(null)).isNull();
  }

  @Test
  void spanNamesAreMadeOncePerMethodAndBounded() {
    SpanNames names = new SpanNames("route ", 2);
    SpanNames.Named join = names.get("game", "room", "Join");
    assertThat(join.name()).isEqualTo("route game/room.Join");
    assertThat(join.attributes().get(MeshTracing.RPC_SERVICE)).isEqualTo("game/room");
    assertThat(join.attributes().get(MeshTracing.RPC_METHOD)).isEqualTo("Join");
    assertThat(names.get("game", "room", "Join")).isSameAs(join);
    assertThat(names.get("game", "room", null).name()).isEqualTo("route game/room");
    assertThat(names.get("game", "room", "Invented").name()).as("past the bound").isEqualTo("route");
  }

  @Test
  void remoteParentsComeOnlyFromValidTraceparents() {
    assertThat(MeshTracing.remoteParent("junk")).isNull();
    assertThat(MeshTracing.OFF.enabled()).isFalse();
    var parent = io.opentelemetry.api.trace.Span.fromContext(MeshTracing.remoteParent(VALID)).getSpanContext();
    assertThat(parent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.isSampled()).isTrue();
  }
}
