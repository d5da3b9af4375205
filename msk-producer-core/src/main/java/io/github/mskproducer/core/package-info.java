/**
 * A producer for Amazon MSK: {@link io.github.mskproducer.core.MskProducer#builder(Class, Class)}
 * configures and checks everything once (IAM authentication, region, TLS, timeouts, retries,
 * delivery settings), and {@link io.github.mskproducer.core.MskProducer} sends, flushes with a
 * deadline and closes with a bound, reporting every record's outcome.
 *
 * <p>Everything outside this package ({@code .internal}) is not API and may change at any time.
 */
package io.github.mskproducer.core;
