/**
 * The MSK producer for AWS Lambda: {@link io.github.mskproducer.lambda.LambdaProducer} keeps one
 * producer per execution environment alive through freezes, SnapStart and shutdown, and runs
 * each invocation so that every record it sent ends acknowledged, failed or reported pending;
 * {@link io.github.mskproducer.lambda.MskProducerHandler} and {@link
 * io.github.mskproducer.lambda.SqsMskProducerHandler} do it all for a handler.
 *
 * <p>Everything outside this package ({@code .internal}) is not API and may change at any time.
 */
package io.github.mskproducer.lambda;
