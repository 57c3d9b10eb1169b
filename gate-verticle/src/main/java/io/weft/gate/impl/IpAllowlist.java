package io.weft.gate.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of CIDR blocks, IPv4 and IPv6 ({@code 10.0.0.0/8}, {@code fc00::/7}, or a single address),
 * and the check of an address against it. IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3})
 * are checked as the IPv4 address they carry. Immutable; {@link #contains} allocates nothing.
 */
public final class IpAllowlist {

  /** Digits, hex digits, dots and colons only: parsing never resolves a name. */
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  private final List<String> entries;
  private final byte[][] networks;
  private final int[] prefixes;

  private IpAllowlist(List<String> entries, byte[][] networks, int[] prefixes) {
    this.entries = entries;
    this.networks = networks;
    this.prefixes = prefixes;
  }

  /** Parses {@code cidrs}; a bad entry fails naming it, under {@code key}. */
  public static IpAllowlist parse(String key, List<String> cidrs) {
    byte[][] networks = new byte[cidrs.size()][];
    int[] prefixes = new int[cidrs.size()];
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = cidrs.get(i);
      if (cidr == null) {
        throw new IllegalArgumentException(key + "[" + i + "] must be a CIDR such as 10.0.0.0/8, but was null");
      }
      String address = cidr.trim();
      int slash = address.indexOf('/');
      String prefixText = slash < 0 ? null : address.substring(slash + 1);
      address = slash < 0 ? address : address.substring(0, slash);
      byte[] bytes = literal(address);
      int bits = bytes == null ? -1 : bytes.length * 8;
      int prefix = bits;
      if (prefixText != null) {
        try {
          prefix = Integer.parseInt(prefixText);
        } catch (NumberFormatException e) {
          prefix = -1;
        }
      }
      if (bytes == null || prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(key + "[" + i + "] must be a CIDR such as 10.0.0.0/8 or fc00::/7, but was '"
            + cidr + "'");
      }
      networks[i] = mask(bytes, prefix);
      prefixes[i] = prefix;
    }
    return new IpAllowlist(List.copyOf(cidrs), networks, prefixes);
  }

  /** The entries as configured. */
  public List<String> entries() {
    return entries;
  }

  /** True when {@code address} lies in one of the blocks. */
  public boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    for (int i = 0; i < networks.length; i++) {
      if (networks[i].length == bytes.length && matches(bytes, networks[i], prefixes[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] address, byte[] network, int prefix) {
    int full = prefix / 8;
    for (int b = 0; b < full; b++) {
      if (address[b] != network[b]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return (address[full] & m) == (network[full] & m);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return masked;
  }

  /** The bytes of an IP literal (IPv4-mapped IPv6 as IPv4), or {@code null} when it is not one. */
  private static byte[] literal(String text) {
    if (text.isEmpty() || !LITERAL.matcher(text).matches() || (text.indexOf(':') < 0 && text.split("\\.", -1).length != 4)) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Loopback and private ranges: what an internal gate accepts unless told otherwise. */
  public static final List<String> PRIVATE_NETWORKS = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12",
      "192.168.0.0/16", "fc00::/7");

  @Override
  public String toString() {
    return new ArrayList<>(entries).toString();
  }
}
