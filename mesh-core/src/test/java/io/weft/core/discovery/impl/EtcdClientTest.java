package io.weft.core.discovery.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class EtcdClientTest {

  @Test
  void aMissingLeaseIsRecognisedHoweverJetcdReportsIt() {
    assertThat(EtcdClient.isNotFound(Status.NOT_FOUND.withDescription("lease not found").asRuntimeException()))
        .isTrue();
    assertThat(EtcdClient.isNotFound(new CompletionException(
        EtcdExceptionFactory.newEtcdException(ErrorCode.NOT_FOUND, "etcdserver: requested lease not found")))).isTrue();
    assertThat(EtcdClient.isNotFound(Status.UNAVAILABLE.asRuntimeException())).isFalse();
    assertThat(EtcdClient.isNotFound(new IllegalStateException("closed"))).isFalse();
  }
}
