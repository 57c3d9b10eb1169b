package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.core.discovery.EtcdServiceRegistry;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.discovery.ServiceRegistry;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;

/**
 * What the commands that flip runtime switches share: the etcd to talk to, a registry on it for
 * the command's work, and the exit codes: 0 done, 1 etcd failed or could not be reached, 2 a bad
 * argument.
 */
abstract class SwitchCommand implements Callable<Integer> {

  /** Each etcd request fails after 5 s (EtcdClient); this is only the last resort. */
  private static final long AWAIT_SEC = 15;

  @Mixin
  RegistryChoice registryChoice;

  /** The command's name, for messages. */
  abstract String name();

  /** Checks the arguments before anything connects. */
  void check() {
  }

  /** The work; the returned exit code ends the command. */
  abstract int run(ServiceRegistry registry, PrintStream out) throws Exception;

  @Override
  public final Integer call() {
    RegistryOptions options;
    try {
      options = registryChoice.resolve(System.getenv());
      check();
    } catch (IllegalArgumentException e) {
      System.err.println("weft " + name() + ": " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      EtcdServiceRegistry registry;
      try {
        registry = EtcdServiceRegistry.create(vertx, options);
      } catch (IllegalArgumentException e) {
        System.err.println("weft " + name() + ": " + e.getMessage());
        return 2;
      }
      try {
        return run(registry, System.out);
      } catch (Exception e) {
        System.err.println("weft " + name() + ": etcd at " + String.join(",", options.getEndpoints()) + " failed: "
            + unwrap(e).getMessage());
        return 1;
      } finally {
        registry.close().await(AWAIT_SEC, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      System.err.println("weft " + name() + ": " + unwrap(e).getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  static <T> T done(Future<T> future) throws Exception {
    return future.await(AWAIT_SEC, TimeUnit.SECONDS);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
