package io.weft.core.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The host a process registers so that others can reach it: the configured advertise host, else
 * the bind host, else (bind host a wildcard) this machine's first site-local IPv4 address, else
 * loopback. Never {@code 0.0.0.0}.
 */
public final class AdvertiseHost {

  private AdvertiseHost() {
  }

  public static String resolve(String bindHost, String advertiseHost) {
    if (advertiseHost != null && !advertiseHost.isBlank()) {
      return advertiseHost;
    }
    if (!isWildcard(bindHost)) {
      return bindHost;
    }
    return firstSiteLocalAddress();
  }

  public static boolean isWildcard(String host) {
    return host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static String firstSiteLocalAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // Fall through to loopback: the mesh still works within this machine.
    }
    return "127.0.0.1";
  }
}
