package io.github.mskproducer.core.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one walker of cause chains: from a throwable through its causes, each once (a chain
 * that loops back, as some libraries build, ends at the first repeat).
 */
public final class Causes {
  private Causes() {}

  /** {@code t} and its causes, outermost first. */
  public static Stream<Throwable> chain(Throwable t) {
    Objects.requireNonNull(t, "t");
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return Stream.iterate(t, c -> c != null && seen.add(c), Throwable::getCause);
  }

  /** The first throwable in the chain that is a {@code type}. */
  public static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
    return chain(t).filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Whether any throwable in the chain matches. */
  public static boolean any(Throwable t, Predicate<Throwable> test) {
    return chain(t).anyMatch(test);
  }

  /** Whether any throwable in the chain is one of {@code types}. */
  @SafeVarargs
  public static boolean anyIs(Throwable t, Class<? extends Throwable>... types) {
    return any(
        t,
        c -> {
          for (Class<? extends Throwable> type : types) {
            if (type.isInstance(c)) {
              return true;
            }
          }
          return false;
        });
  }

  /** Whether any message in the chain contains {@code text}. */
  public static boolean anyMessageContains(Throwable t, String text) {
    return any(t, c -> c.getMessage() != null && c.getMessage().contains(text));
  }

  /** The innermost cause. */
  public static Throwable root(Throwable t) {
    return chain(t).reduce((outer, inner) -> inner).orElseThrow();
  }
}
