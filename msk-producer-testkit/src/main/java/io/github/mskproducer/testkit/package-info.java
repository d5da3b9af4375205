/**
 * A local stand-in for an Amazon MSK cluster with IAM access control, for tests: {@link
 * io.github.mskproducer.testkit.LocalMskBroker} runs real Apache Kafka brokers that verify MSK
 * IAM (SigV4) tokens over TLS; {@link io.github.mskproducer.testkit.LocalMskBrokerExtension}
 * brings one into JUnit 5 tests; {@link io.github.mskproducer.testkit.TestIdentity} is a set of
 * test credentials the broker accepts.
 *
 * <p>Everything outside this package ({@code .internal}) is not API and may change at any time.
 */
package io.github.mskproducer.testkit;
