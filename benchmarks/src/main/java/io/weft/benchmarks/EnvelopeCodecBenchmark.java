package io.weft.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.EnvelopeCodec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gate's per-frame codec work: decoding a client's route (a direct buffer, as Netty reads it)
 * and encoding the call it forwards. {@code java -jar benchmarks/target/benchmarks.jar EnvelopeCodec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow"})
public class EnvelopeCodecBenchmark {

  private ByteBuf routeBody;
  private RouteRequest route;
  private final Envelope.Caller caller = new Envelope.Caller("127.0.0.1:7001", "a1b2c3d4-1", null, "app");

  @Setup
  public void setUp() {
    byte[] innerRpc = ArgsCodec.encodeInnerRpc("Echo", Map.of("Data", new byte[100]));
    route = new RouteRequest(42, "demo", "echo", Unpooled.wrappedBuffer(innerRpc), 10_000, null, null, null, null);
    ByteBuf frame = EnvelopeCodec.encodeFrame(route, PooledByteBufAllocator.DEFAULT);
    frame.skipBytes(4);
    routeBody = frame;
  }

  @TearDown
  public void tearDown() {
    routeBody.release();
  }

  @Benchmark
  public Envelope decodeRoute() {
    return EnvelopeCodec.decode(routeBody);
  }

  @Benchmark
  public int encodeServiceCall() {
    ByteBuf out = EnvelopeCodec.encodeFrame(
        new ServiceCall(7, route.innerRpc(), 9_990, null, null, caller), PooledByteBufAllocator.DEFAULT);
    int size = out.readableBytes();
    out.release();
    return size;
  }
}
