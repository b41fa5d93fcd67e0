/** Health and metrics endpoints shared by the Newsline services. */
package dev.newsline.ops;
