package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.core.MeshException;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft listen alice bob}: logs client ids in through a gate and prints every push they
 * receive, one JSON object a line; safe pushes are acknowledged once printed.
 */
@Command(name = "listen", description = "Log client ids in and print the pushes they receive.")
public final class ListenCommand implements Callable<Integer> {

  @Option(names = "--gate", defaultValue = "127.0.0.1:7001", converter = GateAddress.Converter.class,
      description = "The gate, host:port (default: ${DEFAULT-VALUE}).")
  GateAddress gate;

  @Option(names = "--token", description = "Token for an external gate.")
  String token;

  @Option(names = "--count", defaultValue = "0", description = "Exit after this many pushes (default: never).")
  int count;

  @Parameters(arity = "1..*", paramLabel = "CLIENT_ID", description = "The client ids to log in.")
  List<String> clientIds;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MeshClient client = MeshClient.connect(vertx, new MeshClientOptions().setHost(gate.host()).setPort(gate.port())
          .setToken(token).setClientLabel("weft-listen")).await(10, TimeUnit.SECONDS);
      CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
      CountDownLatch closed = new CountDownLatch(1);
      client.closeHandler(reason -> closed.countDown());
      client.onAnyPush((clientId, pushId, rpc) -> {
        byte[] args = Arrays.copyOfRange(rpc.bytes(), rpc.argsOffset(), rpc.argsOffset() + rpc.argsLength());
        JsonObject line = new JsonObject().put("ClientId", clientId).put("PushId", pushId).put("Method", rpc.method())
            .put("Args", io.vertx.core.json.Json.decodeValue(ArgsCodec.toJson(args)));
        System.out.println(line.encode());
        System.out.flush();
        if (count > 0) {
          done.countDown();
        }
        return Future.succeededFuture();
      });
      for (String clientId : clientIds) {
        client.login(clientId).await(10, TimeUnit.SECONDS);
      }
      System.err.println("weft listen: logged in " + clientIds + " at " + gate + "; waiting for pushes");
      while (done.getCount() > 0 && closed.getCount() > 0) {
        done.await(200, TimeUnit.MILLISECONDS);
      }
      return done.getCount() == 0 ? 0 : 1;
    } catch (MeshException e) {
      System.err.println("error " + e.code().value() + " " + e.code() + ": " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }
}
