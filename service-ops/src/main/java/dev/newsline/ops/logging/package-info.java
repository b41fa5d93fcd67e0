/** One-line log output for the services: {@code key=value} text or JSON lines, chosen at start-up. */
package dev.newsline.ops.logging;
