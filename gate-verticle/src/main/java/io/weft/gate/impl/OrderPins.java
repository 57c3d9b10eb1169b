package io.weft.gate.impl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which instance each {@code OrderKey} of one connection is bound to (PROTOCOL.md section 5: same
 * connection, service and key -> same instance, handled in order).
 * <p>
 * A key is hashed to an instance when it is first used and then remembered for the connection,
 * so an instance joining the service does not move a key in use (nor the state the instance
 * keeps for it). The binding is dropped when its instance stops being routable. Memory is
 * bounded: beyond {@link #MAX_REMEMBERED} keys the least recently used key with no call in
 * flight is forgotten.
 */
public final class OrderPins {

  /** Keys remembered per connection before idle ones are forgotten. */
  static final int MAX_REMEMBERED = 1024;

  /** One key's binding. */
  static final class Pin {
    final String key;
    final ServiceLink link;
    int inFlight;

    Pin(String key, ServiceLink link) {
      this.key = key;
      this.link = link;
    }
  }

  private final Map<String, Pin> pins = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pin> eldest) {
      return size() > MAX_REMEMBERED && eldest.getValue().inFlight == 0;
    }
  };

  static String key(String serviceKey, String orderKey) {
    return serviceKey + '\u0000' + orderKey;
  }

  /** The instance the key is bound to, if it is still routable. */
  ServiceLink boundLink(String key) {
    Pin pin = pins.get(key);
    if (pin == null) {
      return null;
    }
    if (!pin.link.isRoutable()) {
      // Its calls in flight fail with the lost instance; later ones may go elsewhere.
      pins.remove(key);
      return null;
    }
    return pin.link;
  }

  /** Binds the key to {@code link}, counting one more call in flight. */
  Pin hold(String key, ServiceLink link) {
    Pin pin = pins.get(key);
    if (pin == null || pin.link != link) {
      pin = new Pin(key, link);
      pins.put(key, pin);
    }
    pin.inFlight++;
    return pin;
  }

  /** Binds the key to {@code link} for a one-way call, which is never answered. */
  void bind(String key, ServiceLink link) {
    Pin pin = pins.get(key);
    if (pin == null || pin.link != link) {
      pins.put(key, new Pin(key, link));
    }
  }

  /** One call of the key was answered. */
  void release(Pin pin) {
    pin.inFlight--;
  }

  /** Keys remembered now. */
  int size() {
    return pins.size();
  }
}
