package io.github.mskproducer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CausesTest {
  @Test
  void walksOutermostFirst_findsByType_andTheRoot() {
    IOException root = new IOException("disk");
    Throwable t = new CompletionException(new UncheckedIOException("wrapped", root));
    assertThat(Causes.chain(t)).hasSize(3).first().isSameAs(t);
    assertThat(Causes.find(t, IOException.class)).containsSame(root);
    assertThat(Causes.find(t, IllegalStateException.class)).isEmpty();
    assertThat(Causes.root(t)).isSameAs(root);
    assertThat(Causes.anyIs(t, IllegalStateException.class, IOException.class)).isTrue();
    assertThat(Causes.anyMessageContains(t, "dis")).isTrue();
    assertThat(Causes.anyMessageContains(t, "nothing")).isFalse();
  }

  @Test
  void aLoopingChain_endsAtTheFirstRepeat() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b); // a -> b -> a
    assertThat(Causes.chain(a)).containsExactly(a, b);
    assertThat(Causes.root(a)).isSameAs(b);
    assertThat(Causes.anyMessageContains(a, "zzz")).isFalse();
  }
}
