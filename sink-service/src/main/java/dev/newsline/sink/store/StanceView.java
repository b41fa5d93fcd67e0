package dev.newsline.sink.store;

import dev.newsline.model.StancePolarity;
import java.time.Instant;

/**
 * One stored stance with the sentence it was read from.
 *
 * @param articleId   article the stance was found in
 * @param published   the article's publication time, or null
 * @param ordinal     position of the stance in the article
 * @param holderId    canonical id of the entity taking the stance
 * @param holderName  canonical name of the holder
 * @param targetId    canonical id of the target entity, or null when the target is a phrase
 * @param targetText  target as written
 * @param polarity    support, oppose or neutral
 * @param cue         word or phrase carrying the stance
 * @param evidence    the evidence span of the article text (empty if its offsets do not fit)
 * @param confidence  confidence in 0..1
 */
public record StanceView(String articleId, Instant published, int ordinal, String holderId, String holderName,
                         String targetId, String targetText, StancePolarity polarity, String cue, String evidence,
                         double confidence) {
}
