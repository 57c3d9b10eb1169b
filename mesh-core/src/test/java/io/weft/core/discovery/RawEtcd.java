package io.weft.core.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** A plain jetcd client, blocking, to look at and tamper with etcd behind the registry's back. */
final class RawEtcd implements AutoCloseable {

  private final Client client;

  RawEtcd(String url) {
    client = Client.builder().endpoints(url).build();
  }

  Optional<KeyValue> get(String key) throws Exception {
    return client.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs().stream().findFirst();
  }

  List<KeyValue> list(String prefix) throws Exception {
    return client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build())
        .get(5, TimeUnit.SECONDS).getKvs();
  }

  void put(String key, String value) throws Exception {
    client.getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS);
  }

  void delete(String key) throws Exception {
    client.getKVClient().delete(bytes(key)).get(5, TimeUnit.SECONDS);
  }

  void deletePrefix(String prefix) throws Exception {
    client.getKVClient().delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
  }

  void revoke(long leaseId) throws Exception {
    client.getLeaseClient().revoke(leaseId).get(5, TimeUnit.SECONDS);
  }

  /** The lease's remaining TTL in seconds; -1 once it is gone. */
  long ttl(long leaseId) throws Exception {
    return client.getLeaseClient().timeToLive(leaseId, LeaseOption.DEFAULT).get(5, TimeUnit.SECONDS).getTTL();
  }

  /** What etcd holds for {@code namespace}, keyed like {@link EventLog#view()}. */
  Map<String, ServiceInstance> truth(String namespace) throws Exception {
    Map<String, ServiceInstance> truth = new TreeMap<>();
    for (KeyValue kv : list("/weft/services/" + namespace + "/")) {
      String[] parts = string(kv.getKey()).split("/");
      ServiceInstance i = ServiceInstance.fromJson(namespace, parts[4], new JsonObject(string(kv.getValue())));
      truth.put(i.service() + "/" + i.id(), i);
    }
    return truth;
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  static String string(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
