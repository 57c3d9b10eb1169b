package io.weft.gate.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAllowlistTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void matchesIpv4AndIpv6Blocks() throws Exception {
    IpAllowlist list = IpAllowlist.parse("allowlist", IpAllowlist.PRIVATE_NETWORKS);
    assertThat(list.contains(ip("127.0.0.1"))).isTrue();
    assertThat(list.contains(ip("10.200.3.4"))).isTrue();
    assertThat(list.contains(ip("172.16.0.1"))).isTrue();
    assertThat(list.contains(ip("172.31.255.255"))).isTrue();
    assertThat(list.contains(ip("172.32.0.1"))).isFalse();
    assertThat(list.contains(ip("192.168.1.1"))).isTrue();
    assertThat(list.contains(ip("8.8.8.8"))).isFalse();
    assertThat(list.contains(ip("::1"))).isTrue();
    assertThat(list.contains(ip("fd12:3456::1"))).isTrue();
    assertThat(list.contains(ip("2001:db8::1"))).isFalse();
    assertThat(list.contains(ip("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
    assertThat(list.contains(null)).isFalse();
  }

  @Test
  void singleAddressesAndEverything() throws Exception {
    IpAllowlist one = IpAllowlist.parse("allowlist", List.of("203.0.113.7", "2001:db8::5"));
    assertThat(one.contains(ip("203.0.113.7"))).isTrue();
    assertThat(one.contains(ip("203.0.113.8"))).isFalse();
    assertThat(one.contains(ip("2001:db8::5"))).isTrue();
    IpAllowlist all = IpAllowlist.parse("allowlist", List.of("0.0.0.0/0", "::/0"));
    assertThat(all.contains(ip("198.51.100.1"))).isTrue();
    assertThat(all.contains(ip("2001:db8::1"))).isTrue();
    assertThat(IpAllowlist.parse("allowlist", List.of("10.1.2.3/8")).contains(ip("10.9.9.9"))).as("host bits masked").isTrue();
  }

  @Test
  void refusesWhatIsNotACidrWithoutResolvingNames() {
    for (String bad : List.of("", "localhost", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/x", "1.2.3.4.5", "/8")) {
      assertThatThrownBy(() -> IpAllowlist.parse("allowlist", List.of("10.0.0.0/8", bad)))
          .as(bad).hasMessageContaining("allowlist[1]");
    }
  }
}
