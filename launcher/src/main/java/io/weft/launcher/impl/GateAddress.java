package io.weft.launcher.impl;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code host:port} given on the command line. */
public record GateAddress(String host, int port) {

  @Override
  public String toString() {
    return host + ":" + port;
  }

  /** Parses {@code host:port} for picocli. */
  public static final class Converter implements ITypeConverter<GateAddress> {
    @Override
    public GateAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("expected host:port, but was '" + value + "'");
      }
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new TypeConversionException("port must be 1..65535 in '" + value + "'");
        }
        return new GateAddress(value.substring(0, colon), port);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("expected host:port, but was '" + value + "'");
      }
    }
  }
}
