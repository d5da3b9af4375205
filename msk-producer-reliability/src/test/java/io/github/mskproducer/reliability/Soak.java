package io.github.mskproducer.reliability;

import java.time.Duration;

/**
 * CI runs each scenario bounded in time; {@code -Dreliability.soak=true} runs the long
 * versions (see docs/reliability.md for the command).
 */
final class Soak {
  private Soak() {}

  static boolean on() {
    return Boolean.getBoolean("reliability.soak");
  }

  static Duration duration(Duration ci, Duration soak) {
    return on() ? soak : ci;
  }

  static int count(int ci, int soak) {
    return on() ? soak : ci;
  }
}
