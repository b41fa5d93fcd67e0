-- Newsline store, written by sink-service from news.articles.enriched and news.entity.trends.
-- Portable SQL: it runs unchanged on PostgreSQL and on H2 in PostgreSQL mode. Statements that
-- differ between the two (upserts) live in the Java Dialect, not here.
-- TEXT is unbounded on PostgreSQL; on H2 (PostgreSQL mode) it is VARCHAR of up to 1,000,000 chars.

CREATE TABLE articles (
    id               VARCHAR(512)             NOT NULL,
    url              TEXT                     NOT NULL,
    title            TEXT                     NOT NULL,
    body             TEXT                     NOT NULL,
    source           TEXT,
    language         VARCHAR(64),
    published        TIMESTAMP WITH TIME ZONE,
    fetched_at       TIMESTAMP WITH TIME ZONE,
    enriched_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    enricher_version TEXT                     NOT NULL,
    tone_positive    DOUBLE PRECISION         NOT NULL,
    tone_negative    DOUBLE PRECISION         NOT NULL,
    tone_polarity    DOUBLE PRECISION         NOT NULL,
    CONSTRAINT articles_pk PRIMARY KEY (id)
);
-- latest articles first; undated articles last
CREATE INDEX articles_published_idx ON articles (published DESC NULLS LAST, id);

-- first_seen / last_seen span the publication times of the articles naming the entity
CREATE TABLE entities (
    id         VARCHAR(512)             NOT NULL,
    name       TEXT                     NOT NULL,
    type       VARCHAR(32)              NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE,
    last_seen  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT entities_pk PRIMARY KEY (id)
);

-- One row per mention. sentiment_* and salience are per entity and article, repeated on each of
-- its mentions. An entity listed without mentions keeps one row whose field and offsets are null,
-- so that the article-entity link and its sentiment are not lost.
CREATE TABLE mentions (
    article_id      VARCHAR(512)     NOT NULL,
    entity_id       VARCHAR(512)     NOT NULL,
    field           VARCHAR(16),
    start_offset    INTEGER,
    end_offset      INTEGER,
    text            TEXT,
    sentiment_label VARCHAR(16)      NOT NULL,
    sentiment_score DOUBLE PRECISION NOT NULL,
    salience        DOUBLE PRECISION NOT NULL,
    CONSTRAINT mentions_article_fk FOREIGN KEY (article_id) REFERENCES articles (id),
    CONSTRAINT mentions_entity_fk FOREIGN KEY (entity_id) REFERENCES entities (id)
);
CREATE INDEX mentions_entity_article_idx ON mentions (entity_id, article_id);
CREATE INDEX mentions_article_idx ON mentions (article_id);

-- ordinal = position of the stance in the article's stance list
CREATE TABLE stances (
    article_id     VARCHAR(512)     NOT NULL,
    ordinal        INTEGER          NOT NULL,
    holder_id      VARCHAR(512)     NOT NULL,
    holder_name    TEXT             NOT NULL,
    target_id      VARCHAR(512),
    target_text    TEXT             NOT NULL,
    polarity       VARCHAR(16)      NOT NULL,
    cue            TEXT             NOT NULL,
    evidence_field VARCHAR(16)      NOT NULL,
    evidence_start INTEGER          NOT NULL,
    evidence_end   INTEGER          NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    CONSTRAINT stances_pk PRIMARY KEY (article_id, ordinal),
    CONSTRAINT stances_article_fk FOREIGN KEY (article_id) REFERENCES articles (id)
);
CREATE INDEX stances_holder_idx ON stances (holder_id);
CREATE INDEX stances_target_idx ON stances (target_id);

-- hourly windows from news.entity.trends; the primary key also serves "trend of one entity"
CREATE TABLE entity_trends (
    entity_id      VARCHAR(512)             NOT NULL,
    window_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    window_end     TIMESTAMP WITH TIME ZONE NOT NULL,
    article_count  BIGINT                   NOT NULL,
    mean_sentiment DOUBLE PRECISION         NOT NULL,
    CONSTRAINT entity_trends_pk PRIMARY KEY (entity_id, window_start)
);

-- next offset to read per consumer group and partition, written in the same transaction as the
-- rows; the sink seeks here on assignment, so the database, not Kafka, decides what is applied
CREATE TABLE kafka_offsets (
    consumer_group VARCHAR(255) NOT NULL,
    topic          VARCHAR(255) NOT NULL,
    partition      INTEGER      NOT NULL,
    next_offset    BIGINT       NOT NULL,
    CONSTRAINT kafka_offsets_pk PRIMARY KEY (consumer_group, topic, partition)
);
