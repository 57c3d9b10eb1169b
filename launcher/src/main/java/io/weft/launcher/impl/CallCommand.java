package io.weft.launcher.impl;

import io.vertx.core.Vertx;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft call Service.Method '{json}'}: one call through a gate, the reply printed as JSON. */
@Command(name = "call", description = "Make one call through a gate and print the reply as JSON.")
public final class CallCommand implements Callable<Integer> {

  @Option(names = "--gate", defaultValue = "127.0.0.1:7001", converter = GateAddress.Converter.class,
      description = "The gate, host:port (default: ${DEFAULT-VALUE}).")
  GateAddress gate;

  @Option(names = "--token", description = "Token for an external gate.")
  String token;

  @Option(names = "--namespace", defaultValue = "demo", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--timeout", defaultValue = "10000", description = "Budget in ms (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--order-key", description = "OrderKey of the call.")
  String orderKey;

  @Option(names = "--hash-key", description = "HashKey of the call.")
  String hashKey;

  @Parameters(index = "0", paramLabel = "SERVICE.METHOD", description = "e.g. echo.Echo")
  String target;

  @Parameters(index = "1", paramLabel = "ARGS", defaultValue = "{}", description = "The args as JSON (default: {}).")
  String argsJson;

  @Override
  public Integer call() {
    int dot = target.indexOf('.');
    if (dot <= 0 || dot == target.length() - 1) {
      System.err.println("weft call: expected SERVICE.METHOD, but was '" + target + "'");
      return 2;
    }
    byte[] innerRpc;
    try {
      innerRpc = ArgsCodec.encodeInnerRpc(target.substring(dot + 1), io.weft.core.codec.RawValue.of(ArgsCodec.fromJson(argsJson)));
    } catch (CodecException e) {
      System.err.println("weft call: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      MeshClientOptions options = new MeshClientOptions().setHost(gate.host()).setPort(gate.port())
          .setToken(token).setClientLabel("weft-call").setCallTimeoutMs(Math.max(1, timeoutMs));
      MeshClient client = MeshClient.connect(vertx, options).await(options.getConnectTimeoutMs() + 1000, TimeUnit.MILLISECONDS);
      CallOptions callOptions = CallOptions.DEFAULT.withTimeoutMs(timeoutMs).withOrderKey(orderKey).withHashKey(hashKey);
      byte[] reply = client.callRaw(namespace, target.substring(0, dot), innerRpc, callOptions)
          .await(timeoutMs + 5000, TimeUnit.MILLISECONDS);
      System.out.println(ArgsCodec.toJson(reply));
      return 0;
    } catch (MeshException e) {
      System.err.println("error " + e.code().value() + " " + e.code() + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("weft call: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }
}
