/**
 * Health and metrics endpoints shared by the Newsline services: {@link dev.newsline.ops.OpsServer}
 * serves {@code /health/live}, {@code /health/ready} and {@code /metrics}; {@link dev.newsline.ops.ServiceMeters}
 * holds the Prometheus registry with the JVM and Kafka client meters. The services keep their own
 * metric listener interfaces and implement them with Micrometer at their edge.
 */
package dev.newsline.ops;
